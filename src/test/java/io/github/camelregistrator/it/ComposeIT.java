package io.github.camelregistrator.it;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** docker-compose.yml as a newcomer runs it, with the image overrides that work offline. */
class ComposeIT {
    private final Workloads workloads = new Workloads();
    private final int etcdPort = Etcd.freePort();
    private final int peerPort = Etcd.freePort();
    private final Map<String, String> env = Map.of(
            "COMPOSE_PROJECT_NAME", "registrator-it",
            "ETCD_IMAGE", Etcd.IMAGE,
            "JRE_IMAGE", System.getenv().getOrDefault("IT_JRE_IMAGE", "eclipse-temurin:17-jre"),
            "REGISTRATOR_IMAGE", "camel-registrator-compose-it:latest",
            "ETCD_PORT", String.valueOf(etcdPort),
            "ETCD_PEER_PORT", String.valueOf(peerPort),
            "REGISTRATOR_HTTP_PORT", String.valueOf(Etcd.freePort()),
            "ADVERTISE_IP", "10.0.0.9");

    private static List<String> compose() {
        for (List<String> c : List.of(List.of("docker-compose"), List.of("docker", "compose"))) {
            try {
                Process p = new ProcessBuilder(concat(c, List.of("version"))).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return c;
                }
            } catch (Exception absent) {
                // try the next one
            }
        }
        return null;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private String run(List<String> compose, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(concat(compose, concat(List.of("-p", "registrator-it"), List.of(args))))
                .directory(new File(".")).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", args) + " failed:\n" + out);
        }
        return out;
    }

    /** scripts/compose-up.sh, as the README's quick start runs it: its exit status and output. */
    private JarRegistrator.Run composeUp() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "scripts/compose-up.sh").directory(new File(".")).redirectErrorStream(true);
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(400, TimeUnit.SECONDS), out);
        return new JarRegistrator.Run(p.exitValue(), (System.nanoTime() - start) / 1_000_000, out);
    }

    @AfterEach
    void down() throws Exception {
        workloads.close();
        List<String> compose = compose();
        if (compose != null) {
            run(compose, "down", "--timeout", "10");
        }
    }

    @Test
    void composeUpRegistersThisHostsContainers() throws Exception {
        List<String> compose = compose();
        assumeTrue(compose != null, "neither docker-compose nor docker compose is installed");
        JarRegistrator.Run up = composeUp();
        assertEquals(0, up.exit(), up.output());
        assertTrue(up.output().contains("are up; stop them with: "), up.output());
        Workload w = workloads.start(Workloads.uniqueName("composed"), Map.of(), 80);
        try (Client etcd = Client.builder().endpoints("http://127.0.0.1:" + etcdPort).build()) {
            Eventually.within(Duration.ofSeconds(60), () -> {
                Map<String, String> kv = Etcd.get(etcd, "/services/");
                assertEquals(1, kv.entrySet().stream().filter(e -> e.getKey().endsWith(":" + w.name() + ":80")
                        && e.getValue().equals("10.0.0.9:" + w.hostPort(80))).count(), kv.toString());
            });
        }
    }

    /** etcd's peer port taken (by run-local.sh's etcd, say): up fails, naming etcd, and no registrator runs. */
    @Test
    void aTakenEtcdPeerPortFailsUpVisibly() throws Exception {
        List<String> compose = compose();
        assumeTrue(compose != null, "neither docker-compose nor docker compose is installed");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", peerPort));
            JarRegistrator.Run up = composeUp();
            System.out.println("compose-up.sh with the peer port taken, " + up.millis() + " ms:\n" + up.output());
            assertNotEquals(0, up.exit(), up.output());
            assertTrue(up.output().contains("etcd is not healthy") && up.output().contains("address already in use"), up.output());
            assertFalse(up.output().contains("are up"), up.output());
            String ps = run(compose, "ps", "-q", "registrator").trim();
            assertTrue(ps.isEmpty() || !running(ps), "the registrator runs: " + ps);
        }
    }

    private static boolean running(String id) throws Exception {
        Process p = new ProcessBuilder("docker", "inspect", "--format", "{{.State.Running}}", id).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(30, TimeUnit.SECONDS);
        return out.equals("true");
    }
}
