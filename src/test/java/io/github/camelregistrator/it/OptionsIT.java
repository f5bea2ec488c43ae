package io.github.camelregistrator.it;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built jar given bad options, as an operator gives them: by flag, environment or a file in
 * the working directory. Each must end the process within seconds with one line that names the
 * option, and the precedence the README promises must hold in the running process.
 */
class OptionsIT {
    /** Unreachable on purpose: a check that passed by mistake would hang on them, not write anywhere. */
    private static final String[] NOWHERE = {"--etcd-endpoints=http://127.0.0.1:1",
            "--docker-host=unix:///nonexistent.sock"};

    private static Path emptyDir() throws Exception {
        return Files.createTempDirectory("registrator-options");
    }

    private static Path dirWith(String properties) throws Exception {
        Path dir = emptyDir();
        Files.writeString(dir.resolve("application.properties"), properties);
        return dir;
    }

    /** A working directory with the project's routes plus an own layout-mine.yaml, and its own properties. */
    private static Path ownLayoutDir(String properties) throws Exception {
        Path dir = emptyDir();
        Files.createDirectory(dir.resolve("routes"));
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path r : routes.toList()) {
                Files.copy(r, dir.resolve("routes").resolve(r.getFileName()));
            }
        }
        Files.writeString(dir.resolve("routes/layout-mine.yaml"), Files.readString(Path.of("routes/layout-registrator.yaml"))
                .replace("layout-registrator", "layout-mine").replace("{{registrator.prefix}}", "{{registrator.mine.prefix}}"));
        Files.writeString(dir.resolve("application.properties"), properties);
        return dir;
    }

    static Stream<Arguments> badValues() throws Exception {
        Path garbage = Files.writeString(Files.createTempFile("garbage", ".pem"), "not a certificate\n");
        Path directory = emptyDir();
        return Stream.of(
                Arguments.of(emptyDir(), Map.of(), List.of("--ttl=abc"), "registrator.ttl: 'abc' is not a whole number of seconds"),
                Arguments.of(emptyDir(), Map.of(), List.of("--resync=-5"), "registrator.resync: '-5' is not between 1 and"),
                Arguments.of(emptyDir(), Map.of(), List.of("--resync=0"), "registrator.resync: '0' is not between 1 and"),
                Arguments.of(emptyDir(), Map.of(), List.of("--etcd-endpoints=notaurl"),
                        "registrator.etcd-endpoints: 'notaurl' is not an http(s)://host:port URL"),
                Arguments.of(emptyDir(), Map.of("REGISTRATOR_LAYOUTS", "nosuchlayout"), List.of(),
                        "registrator.layouts: 'nosuchlayout' has no route"),
                Arguments.of(ownLayoutDir("registrator.layouts=mine\n"), Map.of(), List.of(),
                        "registrator.mine.prefix: empty, but layout mine needs a key prefix"),
                Arguments.of(emptyDir(), Map.of(), List.of("--etcd-ca-file=/nonexistent/ca.pem"),
                        "registrator.etcd-ca-file: cannot read '/nonexistent/ca.pem'"),
                Arguments.of(emptyDir(), Map.of(), List.of("--etcd-ca-file=" + directory),
                        "registrator.etcd-ca-file: cannot read '" + directory + "'"),
                Arguments.of(emptyDir(), Map.of(), List.of("--etcd-ca-file=" + garbage),
                        "registrator.etcd-ca-file: '" + garbage + "' holds no PEM certificate"),
                Arguments.of(emptyDir(), Map.of(), List.of("--etcd-cert-file=" + garbage, "--etcd-key-file=" + garbage),
                        "registrator.etcd-cert-file: '" + garbage + "' is not a PEM certificate"),
                Arguments.of(emptyDir(), Map.of(), List.of("--etcd-cert-file=" + garbage),
                        "registrator.etcd-cert-file: a client certificate needs registrator.etcd-key-file"),
                Arguments.of(emptyDir(), Map.of(), List.of("--template.key={{registrator.nope}}/x"),
                        "registrator.template.key: Property with key [registrator.nope] not found"),
                Arguments.of(emptyDir(), Map.of(), List.of("--http-enabled=true", "--http-port=http"),
                        "registrator.http-port: 'http' is not a whole number"),
                // the flag wins over the environment, the environment over the file, the file over the default
                Arguments.of(emptyDir(), Map.of("REGISTRATOR_TTL", "20"), List.of("--ttl=abc"), "registrator.ttl: 'abc'"),
                Arguments.of(dirWith("registrator.ttl=20\n"), Map.of("REGISTRATOR_TTL", "abc"), List.of(),
                        "registrator.ttl: 'abc'"),
                Arguments.of(dirWith("registrator.ttl=abc\n"), Map.of(), List.of(), "registrator.ttl: 'abc'"));
    }

    @ParameterizedTest(name = "{2} {1}")
    @MethodSource("badValues")
    void aBadValueEndsTheProcessWithinFiveSecondsWithOneLineNamingIt(Path dir, Map<String, String> env,
            List<String> flags, String expected) throws Exception {
        List<String> args = new ArrayList<>(List.of(NOWHERE));
        if (flags.stream().noneMatch(f -> f.startsWith("--http-"))) {
            args.add("--http-enabled=false");
        }
        args.addAll(flags);
        JarRegistrator.Run run = JarRegistrator.run(dir, env, args.toArray(String[]::new));
        assertNotEquals(0, run.exit(), run.output());
        assertEquals(1, run.lines().size(), "not one line:\n" + run.output());
        assertTrue(run.output().startsWith(expected), run.output());
        assertTrue(!run.output().contains("Exception") && !run.output().contains("\tat "), run.output());
        assertTrue(run.millis() < 5000, "took " + run.millis() + " ms");
    }

    static Stream<Arguments> unknownOptions() throws Exception {
        return Stream.of(
                // a misspelling of each of the five options most set
                Arguments.of(emptyDir(), Map.of(), List.of("--etcd-endpoint=http://127.0.0.1:2379"),
                        "--etcd-endpoint: no such option (did you mean --etcd-endpoints?)"),
                Arguments.of(emptyDir(), Map.of(), List.of("--advertse-ip=10.0.0.5"),
                        "--advertse-ip: no such option (did you mean --advertise-ip?)"),
                Arguments.of(emptyDir(), Map.of(), List.of("--hostid=h1"), "--hostid: no such option (did you mean --host-id?)"),
                Arguments.of(emptyDir(), Map.of(), List.of("--layout=skydns"), "--layout: no such option (did you mean --layouts?)"),
                Arguments.of(emptyDir(), Map.of(), List.of("--http-prot=9799"),
                        "--http-prot: no such option (did you mean --http-port?)"),
                Arguments.of(emptyDir(), Map.of(), List.of("--no-such-option=1"), "--no-such-option: no such option; see --help"),
                // each source
                Arguments.of(emptyDir(), Map.of("REGISTRATOR_ADVERTSE_IP", "10.0.0.5"), List.of(),
                        "REGISTRATOR_ADVERTSE_IP: no such option (did you mean REGISTRATOR_ADVERTISE_IP?)"),
                Arguments.of(dirWith("registrator.advertse-ip=10.0.0.5\n"), Map.of(), List.of(),
                        "registrator.advertse-ip in ./application.properties: no such option (did you mean registrator.advertise-ip?)"),
                // explain reads the same options
                Arguments.of(emptyDir(), Map.of(), List.of("explain", "some-container", "--advertse-ip=10.0.0.5"),
                        "--advertse-ip: no such option (did you mean --advertise-ip?)"));
    }

    @ParameterizedTest(name = "{2} {1}")
    @MethodSource("unknownOptions")
    void anUnknownOptionEndsTheProcessWithStatusTwoAndOneLineNamingIt(Path dir, Map<String, String> env,
            List<String> flags, String expected) throws Exception {
        List<String> args = new ArrayList<>(flags);
        args.addAll(List.of(NOWHERE));
        args.add("--http-enabled=false");
        JarRegistrator.Run run = JarRegistrator.run(dir, env, args.toArray(String[]::new));
        assertEquals(2, run.exit(), run.output());
        assertEquals(List.of(expected), run.lines());
        assertTrue(run.millis() < 5000, "took " + run.millis() + " ms");
    }

    /** Camel's own options and an own layout's options are not unknown; the layout file alone is enough. */
    @Test
    void anOwnLayoutFileAloneBesideThePackedRoutesRuns() throws Exception {
        Path dir = emptyDir();
        Files.createDirectory(dir.resolve("routes"));
        Files.writeString(dir.resolve("routes/layout-mine.yaml"), Files.readString(Path.of("routes/layout-registrator.yaml"))
                .replace("layout-registrator", "layout-mine").replace("{{registrator.prefix}}", "{{registrator.mine.prefix}}"));
        try (JarRegistrator r = JarRegistrator.start(dir, Map.of("REGISTRATOR_MINE_PREFIX", "/mine"),
                NOWHERE[0], NOWHERE[1], "--layouts=mine,registrator", "--camel.main.name=own-layout")) {
            // the routes built and run: the event source tries Docker
            r.awaitLog(Duration.ofSeconds(30), "starting host-id=", "docker unreachable at unix:///nonexistent.sock");
            String line = r.log().lines().filter(l -> l.contains("starting host-id=")).findFirst().orElseThrow();
            assertTrue(line.contains("layouts=[mine, registrator] "), line);
            assertTrue(r.isAlive(), r.log());
        }
    }

    @Test
    void theHttpPortInUseEndsTheProcessWithOneLineNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("0.0.0.0", 0));
            int port = taken.getLocalPort();
            JarRegistrator.Run run = JarRegistrator.run(emptyDir(), Map.of(), NOWHERE[0], NOWHERE[1],
                    "--http-port=" + port);
            assertNotEquals(0, run.exit(), run.output());
            assertEquals(List.of("registrator.http-port: port " + port + " is in use on 0.0.0.0"
                    + " (choose another, or --http-enabled=false)"), run.lines());
            assertTrue(run.millis() < 20_000, "took " + run.millis() + " ms");
        }
    }

    /**
     * What the running process uses, not only what the check saw: Camel itself once let the
     * environment beat the flags. Each option below has one pair of sources.
     */
    @Test
    void theRunningProcessTakesFlagsOverEnvironmentOverFileOverDefaults() throws Exception {
        // a partial file: the process starts only because the packed defaults fill in the rest
        Path dir = dirWith("registrator.resync=40\nregistrator.host-id=file-host\nregistrator.advertise-ip=10.9.9.9\n");
        try (JarRegistrator r = JarRegistrator.start(dir,
                Map.of("REGISTRATOR_TTL", "20", "REGISTRATOR_RESYNC", "45", "REGISTRATOR_LAYOUTS", "skydns"),
                NOWHERE[0], NOWHERE[1], "--ttl=7", "--advertise-ip=10.8.8.8")) {
            r.awaitLog(Duration.ofSeconds(30), "starting host-id=");
            String line = r.log().lines().filter(l -> l.contains("starting host-id=")).findFirst().orElseThrow();
            assertTrue(line.contains(" ttl=7s "), "flag over environment: " + line);
            assertTrue(line.contains(" resync=45s"), "environment over file: " + line);
            assertTrue(line.contains("host-id=file-host "), "file over default: " + line);
            assertTrue(line.contains("advertise-ip=10.8.8.8 "), "flag over file: " + line);
            assertTrue(line.contains("layouts=[skydns] "), "environment over default: " + line);
        }
    }
}
