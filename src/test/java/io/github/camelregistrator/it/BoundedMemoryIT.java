package io.github.camelregistrator.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerPort;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built jar under the image's own JVM flags (a 96 MiB heap) against 80 containers that
 * each carry a 1 MB label, and one restart: no OutOfMemoryError, every service registered.
 */
class BoundedMemoryIT {
    private static final String HOST = "mem-host";
    private static final String IP = "10.0.0.8";
    private static final int CONTAINERS = 80;
    private static final String RUN = "memit-" + Long.toHexString(System.nanoTime());
    private final DockerClient docker = DockerClientFactory.instance().client();
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void removeContainers() throws Exception {
        List<Future<?>> removals = new ArrayList<>();
        for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("memit", RUN)).exec()) {
            removals.add(pool.submit(() -> docker.removeContainerCmd(c.getId()).withForce(true).exec()));
        }
        for (Future<?> f : removals) {
            f.get();
        }
        pool.shutdownNow();
    }

    /** The JVM options of the Dockerfile's ENTRYPOINT, but its class-data archive (built only in the image). */
    static List<String> imageJvmFlags() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        Matcher entry = Pattern.compile("(?s)ENTRYPOINT \\[(.*?)\"-jar\"").matcher(dockerfile);
        assertTrue(entry.find(), "no ENTRYPOINT with -jar in the Dockerfile");
        List<String> flags = new ArrayList<>();
        Matcher quoted = Pattern.compile("\"(-X[^\"]*)\"").matcher(entry.group(1));
        while (quoted.find()) {
            if (!quoted.group(1).startsWith("-XX:SharedArchiveFile")) {
                flags.add(quoted.group(1));
            }
        }
        assertTrue(flags.contains("-Xmx96m"), "the image's heap flag changed: " + flags);
        return flags;
    }

    @Test
    void eightyContainersWithOneMegabyteLabelsAndARestartFitTheImageHeap() throws Exception {
        Etcd.clear();
        Path dir = Files.createTempDirectory("registrator-mem");
        List<String> jvm = new ArrayList<>(imageJvmFlags());
        jvm.add("-Xlog:gc:file=" + dir.resolve("gc.log"));
        String big = "x".repeat(1024 * 1024);
        int port = Etcd.freePort();
        try (JarRegistrator registrator = JarRegistrator.start(dir, Map.of(), jvm, "--etcd-endpoints=" + Etcd.endpoint(),
                "--host-id=" + HOST, "--advertise-ip=" + IP, "--layouts=registrator", "--prefix=/mem", "--resync=5",
                "--http-port=" + port)) {
            // made while it starts: the first full pass finds some, the rest come as events
            List<Future<String>> created = new ArrayList<>();
            for (int i = 0; i < CONTAINERS; i++) {
                String name = RUN + "-" + i;
                created.add(pool.submit(() -> create(name, big)));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : created) {
                ids.add(f.get());
            }
            Eventually.within(Duration.ofSeconds(90), () -> assertRegistered(registrator));

            double passes = passes(port);
            docker.restartContainerCmd(ids.get(0)).withTimeout(0).exec();
            // the restart lands, and two full passes after it (each inspects all 80) find the same:
            // the key follows the container's (possibly new) host port
            Eventually.within(Duration.ofSeconds(30), () -> assertTrue(passes(port) >= passes + 2));
            Eventually.within(Duration.ofSeconds(30), () -> assertRegistered(registrator));
            assertTrue(registrator.isAlive(), registrator.log());
            String log = registrator.log();
            assertFalse(log.contains("OutOfMemoryError"), log);
            // the unused 1 MB label is dropped with one line per container start, not one per pass
            int lines = count(log, "value over 65536 characters dropped: label blob");
            assertTrue(lines >= CONTAINERS && lines <= CONTAINERS + 1, lines + " lines:\n" + log);
            System.out.println("BoundedMemoryIT: " + gcFigures(Files.readString(dir.resolve("gc.log"))));
        }
    }

    /** Full passes the registrator has run, from its metrics. */
    private static double passes(int port) {
        try {
            // HTTP/1.1 and a deadline: a request that never got its answer once hung this test for good
            String metrics = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2)).build().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/observe/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^registrator_reconcile_passes_total ([0-9.eE+-]+)$").matcher(metrics);
            if (!m.find()) {
                throw new AssertionError("no registrator_reconcile_passes_total in\n" + metrics);
            }
            return Double.parseDouble(m.group(1));
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Every service registered; a dead process fails at once (Eventually retries only assertion errors). */
    private void assertRegistered(JarRegistrator registrator) {
        if (!registrator.isAlive()) {
            try {
                throw new IllegalStateException("the registrator died:\n" + registrator.log());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("the registrator died", e);
            }
        }
        assertEquals(expected(), Etcd.get("/mem/"));
    }

    private String create(String name, String big) {
        ExposedPort http = ExposedPort.tcp(80);
        String id = docker.createContainerCmd(Workloads.IMAGE).withName(name)
                .withLabels(Map.of("memit", RUN, "blob", big, "SERVICE_NAME", "big"))
                .withCmd("httpd", "-f", "-p", "80").withExposedPorts(http)
                .withHostConfig(HostConfig.newHostConfig().withPortBindings(new PortBinding(Ports.Binding.empty(), http)))
                .exec().getId();
        docker.startContainerCmd(id).exec();
        return id;
    }

    /** Every running test container's key and its published address. */
    private Map<String, String> expected() {
        Map<String, String> out = new TreeMap<>();
        for (Container c : docker.listContainersCmd().withLabelFilter(Map.of("memit", RUN)).exec()) {
            for (ContainerPort p : c.getPorts()) {
                if (p.getPublicPort() != null && (p.getIp() == null || !p.getIp().contains(":"))) {
                    out.put("/mem/big/" + HOST + ":" + c.getNames()[0].substring(1) + ":80", IP + ":" + p.getPublicPort());
                }
            }
        }
        assertEquals(CONTAINERS, out.size(), "running test containers");
        return out;
    }

    private static int count(String text, String fragment) {
        int n = 0;
        for (int i = text.indexOf(fragment); i >= 0; i = text.indexOf(fragment, i + 1)) {
            n++;
        }
        return n;
    }

    /** Peak heap used, and the largest live set (after a full collection), from -Xlog:gc lines "... 30M->12M(60M)". */
    static String gcFigures(String gcLog) {
        Pattern sizes = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
        int used = 0;
        int live = 0;
        int committed = 0;
        int collections = 0;
        for (String line : gcLog.split("\n")) {
            Matcher m = sizes.matcher(line);
            if (m.find()) {
                collections++;
                used = Math.max(used, Integer.parseInt(m.group(1)));
                if (line.contains("Pause Full")) {
                    live = Math.max(live, Integer.parseInt(m.group(2)));
                }
                committed = Math.max(committed, Integer.parseInt(m.group(3)));
            }
        }
        return "collections=" + collections + " peak used=" + used + "M, largest live set after a full GC=" + live
                + "M, peak committed=" + committed + "M of 96M";
    }
}
