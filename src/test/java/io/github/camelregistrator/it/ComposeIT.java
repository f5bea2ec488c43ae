package io.github.camelregistrator.it;

import java.io.File;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** docker-compose.yml as a newcomer runs it, with the image overrides that work offline. */
class ComposeIT {
    private final Workloads workloads = new Workloads();
    private final int etcdPort = Etcd.freePort();
    private final Map<String, String> env = Map.of(
            "ETCD_IMAGE", Etcd.IMAGE,
            "JRE_IMAGE", System.getenv().getOrDefault("IT_JRE_IMAGE", "eclipse-temurin:17-jre"),
            "REGISTRATOR_IMAGE", "camel-registrator-compose-it:latest",
            "ETCD_PORT", String.valueOf(etcdPort),
            "ETCD_PEER_PORT", String.valueOf(Etcd.freePort()),
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
        run(compose, "up", "-d", "--build");
        Workload w = workloads.start(Workloads.uniqueName("composed"), Map.of(), 80);
        try (Client etcd = Client.builder().endpoints("http://127.0.0.1:" + etcdPort).build()) {
            Eventually.within(Duration.ofSeconds(60), () -> {
                Map<String, String> kv = Etcd.get(etcd, "/services/");
                assertEquals(1, kv.entrySet().stream().filter(e -> e.getKey().endsWith(":" + w.name() + ":80")
                        && e.getValue().equals("10.0.0.9:" + w.hostPort(80))).count(), kv.toString());
            });
        }
    }
}
