package io.github.camelregistrator.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fault that lasts (a wrong etcd password, etcd unreachable, Docker unreachable), as the
 * operator meets it: the jar's whole output, not only the registrator's logger. Each logs one
 * line when it starts, then at most one line per backoff step (1, 2, 4, 8 s ... capped at a
 * minute), costs almost no CPU, makes readiness 503 with the reason, and logs once when it ends.
 */
class PersistentFaultsIT {
    private static final Duration WINDOW = Duration.ofSeconds(15);
    // per fault, steps of 1, 2, 4 and 8 s give at most 4 lines in 15 s; Docker's outage is two faults
    // (the event stream and the full pass), and a line may land on either edge of the window
    private static final int MAX_LINES = 12;
    private static final double MAX_CORES = 0.2;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aWrongEtcdPasswordIsReportedQuietlyUntilItIsRight() throws Exception {
        try (DedicatedEtcd etcd = new DedicatedEtcd()) {
            etcd.enableAuth("secret", null, null, null).close();
            int port = Etcd.freePort();
            try (JarRegistrator jar = JarRegistrator.start("--etcd-endpoints=" + etcd.endpoint(), "--etcd-user=root",
                    "--etcd-password=wrong", "--host-id=" + Workloads.uniqueName("auth"), "--http-port=" + port)) {
                assertQuiet("wrong password", jar, port, "authentication failed", "authentication failed");
                try (Client root = Client.builder().endpoints(etcd.endpoint()).user(b("root")).password(b("secret")).build()) {
                    root.getAuthClient().userChangePassword(b("root"), b("wrong")).get(10, TimeUnit.SECONDS);
                }
                assertOverAndReady(jar, port, "etcd refuses writes: over after");
            }
        }
    }

    @Test
    void anUnreachableEtcdIsReportedQuietlyUntilItAnswers() throws Exception {
        try (Partition partition = Partition.toSharedEtcd()) {
            partition.cut();
            int port = Etcd.freePort();
            try (JarRegistrator jar = JarRegistrator.start("--etcd-endpoints=" + partition.endpoint(),
                    "--host-id=" + Workloads.uniqueName("unreachable"), "--http-port=" + port)) {
                assertQuiet("etcd unreachable", jar, port, "etcd unreachable", "etcd unreachable");
                partition.heal();
                assertOverAndReady(jar, port, "etcd unreachable: over after");
            }
        }
    }

    @Test
    void anUnreachableDockerIsReportedQuietlyUntilItAnswers() throws Exception {
        Assumptions.assumeTrue(SecondDockerd.available(), "no dockerd binary to run a second engine");
        try (SecondDockerd dockerd = new SecondDockerd()) {
            int port = Etcd.freePort();
            try (JarRegistrator jar = JarRegistrator.start("--etcd-endpoints=" + Etcd.endpoint(),
                    "--docker-host=" + dockerd.host(), "--host-id=" + Workloads.uniqueName("nodocker"),
                    "--http-port=" + port)) {
                jar.awaitLog(Duration.ofSeconds(30), "docker event stream connected");
                dockerd.stop();
                assertQuiet("docker unreachable", jar, port, "docker unreachable at", "docker unreachable at");
                dockerd.start();
                assertOverAndReady(jar, port, "docker unreachable at " + dockerd.host() + ": over after");
            }
        }
    }

    /** From the fault's first line: a window of at most MAX_LINES lines, no stack trace, little CPU, 503 and why. */
    private void assertQuiet(String scenario, JarRegistrator jar, int port, String firstLine, String reason) throws Exception {
        jar.awaitLog(Duration.ofSeconds(30), firstLine);
        int before = jar.log().lines().toList().size();
        long cpuBefore = jar.cpuNanos();
        long start = System.nanoTime();
        Thread.sleep(WINDOW.toMillis());
        double cores = (jar.cpuNanos() - cpuBefore) / (double) (System.nanoTime() - start);
        List<String> all = jar.log().lines().toList();
        List<String> window = all.subList(before, all.size());
        HttpResponse<String> ready = get(port);
        System.out.printf("%s: %d log lines and %.3f cores over %d s (the start line: %s)%n", scenario, window.size(),
                cores, WINDOW.toSeconds(), all.stream().filter(l -> l.contains(firstLine)).findFirst().orElse(""));
        assertAll(
                () -> assertTrue(window.size() <= MAX_LINES, window.size() + " lines:\n" + String.join("\n", window)),
                () -> assertTrue(all.stream().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception:")),
                        "a stack trace:\n" + String.join("\n", all)),
                () -> assertTrue(cores <= MAX_CORES, cores + " cores"),
                () -> assertEquals(503, ready.statusCode(), ready.body()),
                () -> assertTrue(ready.body().contains(reason), ready.body()));
    }

    private void assertOverAndReady(JarRegistrator jar, int port, String over) throws Exception {
        jar.awaitLog(Duration.ofSeconds(30), over);
        Eventually.within(Duration.ofSeconds(30), () -> assertEquals(200, get(port).statusCode()));
        assertEquals(1, jar.log().lines().filter(l -> l.contains(over)).count(), jar.log());
    }

    private HttpResponse<String> get(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ByteSequence b(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
