package io.github.camelregistrator.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built jar as a process: its flags, and what etcd holds after kill -9 and after SIGTERM (exit 0). */
class JarProcessIT {
    private static final String HOST = "jar-host";
    private static final String IP = "10.0.0.7";
    private final Workloads workloads = new Workloads();

    @AfterEach
    void cleanUp() {
        workloads.close();
    }

    private static JarRegistrator registrator(Path dir, int ttl) throws Exception {
        return JarRegistrator.start(dir, "--etcd-endpoints=" + Etcd.endpoint(), "--host-id=" + HOST,
                "--advertise-ip=" + IP, "--ttl=" + ttl, "--layouts=registrator", "--prefix=/jar");
    }

    @Test
    void helpListsEveryOptionWithItsDefault() throws Exception {
        String out = JarRegistrator.run("--help");
        assertTrue(out.startsWith("0\n"), out);
        for (String option : List.of("--registrator.etcd-endpoints=http://127.0.0.1:2379", "--registrator.ttl=15",
                "--registrator.resync=30", "--registrator.prefix=/services", "--registrator.dry-run=false",
                "--registrator.layouts=registrator", "--registrator.explicit=false", "--registrator.internal=false",
                "--registrator.host-id=", "--registrator.advertise-ip=", "--registrator.docker-host=",
                "--registrator.deregister=always", "--registrator.vulcand.env-prefix=VS",
                "--registrator.docker-host=unix:///var/run/docker.sock, or DOCKER_HOST\n")) {
            assertTrue(out.contains(option), option + " missing from --help:\n" + out);
        }
        assertTrue(!out.contains("{{env:"), "a raw placeholder in --help:\n" + out);
        assertTrue(JarRegistrator.run("--version").matches("0\ncamel-registrator \\d+\\.\\d+\\.\\d+.*\\s*"));
    }

    @Test
    void aBadValueStopsStartUpNamingTheOption() throws Exception {
        String out = JarRegistrator.run("--ttl=soon", "--etcd-endpoints=http://127.0.0.1:1");
        assertTrue(!out.startsWith("0\n") && out.contains("registrator.ttl: 'soon' is not a whole number"), out);
    }

    @Test
    void aRestartAfterKillNineRestoresEveryKeyAndRemovesTheStaleOnesAtOnce() throws Exception {
        Etcd.clear();
        Path dir = Files.createTempDirectory("registrator-jar");
        Workload stays = workloads.start(Workloads.uniqueName("stays"), Map.of("SERVICE_NAME", "web"), 80);
        Workload goes = workloads.start(Workloads.uniqueName("goes"), Map.of("SERVICE_NAME", "web"), 80);
        String staysKey = "/jar/web/" + HOST + ":" + stays.name() + ":80";
        String goesKey = "/jar/web/" + HOST + ":" + goes.name() + ":80";
        try (JarRegistrator first = registrator(dir, 60)) {
            Eventually.within(Duration.ofSeconds(30), () -> assertEquals(2, Etcd.get("/jar/").size()));
            first.kill();
        }
        // while no registrator runs: one container goes; its key stays, on the dead run's 60 s lease
        workloads.remove(goes);
        assertTrue(Etcd.get("/jar/").containsKey(goesKey));
        long oldLease = Etcd.kv(staysKey).getLease();

        try (JarRegistrator second = registrator(dir, 60)) {
            // well within the dead run's 60 s lease: the stale key did not wait for it
            Eventually.within(Duration.ofSeconds(20),
                    () -> assertEquals(Map.of(staysKey, IP + ":" + stays.hostPort(80)), Etcd.get("/jar/")));
            Eventually.within(Duration.ofSeconds(5), () -> {
                try {
                    assertTrue(Etcd.kv(staysKey).getLease() != oldLease, "the key stayed on the dead run's lease");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    @Test
    void killNineLeavesKeysToTheLeaseAndSigtermRemovesThemAtOnce() throws Exception {
        Etcd.clear();
        Path dir = Files.createTempDirectory("registrator-jar");
        Workload w = workloads.start(Workloads.uniqueName("jarweb"), Map.of("SERVICE_NAME", "web"), 80);
        String key = "/jar/web/" + HOST + ":" + w.name() + ":80";
        Map<String, String> expected = Map.of(key, IP + ":" + w.hostPort(80));

        int ttl = 3;
        try (JarRegistrator first = registrator(dir, ttl)) {
            Eventually.within(Duration.ofSeconds(30), () -> assertEquals(expected, Etcd.get("/jar/")));
            first.kill();
            long killed = System.nanoTime();
            Eventually.within(Duration.ofSeconds(ttl + 5), () -> assertEquals(Map.of(), Etcd.get("/jar/")));
            long goneMs = (System.nanoTime() - killed) / 1_000_000;
            assertTrue(goneMs <= (ttl + 1) * 1000L, "keys outlived the TTL: " + goneMs + " ms");
        }

        // a long TTL, so that only a revoke can explain keys vanishing within a second
        try (JarRegistrator second = registrator(dir, 60)) {
            Eventually.within(Duration.ofSeconds(30), () -> assertEquals(expected, Etcd.get("/jar/")));
            second.terminate();
            long termed = System.nanoTime();
            Eventually.within(Duration.ofSeconds(5), () -> assertEquals(Map.of(), Etcd.get("/jar/")));
            long revokedMs = (System.nanoTime() - termed) / 1_000_000;
            assertTrue(revokedMs < 3000, "keys took " + revokedMs + " ms after SIGTERM");
            assertTrue(second.waitFor(15));
            assertTrue(second.log().contains("lease revoked"), second.log());
            // a clean stop, for systemd and docker stop alike (the JVM alone would say 143)
            assertEquals(0, second.exitValue(), second.log());
        }
    }
}
