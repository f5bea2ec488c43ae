package io.github.camelregistrator.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** etcd faults: nothing lost and nothing stale once etcd answers again. */
class EtcdFaultIT extends RegistratorTestSupport {

    /** The shipped TTL (15 s) and deadline, so the outage outlasts the lease as it would in production. */
    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator", "registrator.ttl", "15"};
    }

    private static String key(Workload w) {
        return serviceKey(w.name());
    }

    private static void sleepUntil(long startNanos, long millis) throws InterruptedException {
        long left = millis - (System.nanoTime() - startNanos) / 1_000_000;
        if (left > 0) {
            Thread.sleep(left);
        }
    }

    @Test
    void changesDuringAThirtySecondOutageAreWrittenWithinFiveSecondsOfEtcdsReturn() throws Exception {
        List<Workload> before = new ArrayList<>();
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < 10; i++) {
            Workload w = workloads.start(Workloads.uniqueName("before" + i), Map.of(), 80);
            before.add(w);
            expected.put(key(w), IP + ":" + w.hostPort(80));
        }
        assertExactly("/services/", expected);

        LogCapture log = new LogCapture();
        Etcd.stop();
        long stopped = System.nanoTime();
        expected.clear();
        try {
            for (int i = 0; i < 10; i++) {
                Workload w = workloads.start(Workloads.uniqueName("during" + i), Map.of(), 80);
                expected.put(key(w), IP + ":" + w.hostPort(80));
            }
            // one container restarted again and again: its key is still one pending change
            for (int i = 0; i < 10; i++) {
                org.testcontainers.DockerClientFactory.instance().client()
                        .restartContainerCmd(before.get(0).id()).withTimeout(0).exec();
            }
            for (Workload w : before) {
                workloads.remove(w);
            }
            Eventually.within(Duration.ofSeconds(10), () -> assertTrue(
                    httpGet("/observe/metrics").body().contains("registrator_etcd_pending 20.0"),
                    "10 puts and 10 deletes pending, coalesced per key"));
            // no call hangs: the health endpoint answers at once and says why it is not ready
            assertReadinessReportsEtcdDown();
            assertTrue(context.isStarted());
            sleepUntil(stopped, 30_000);
        } finally {
            Etcd.start();
        }
        long back = System.nanoTime();
        Eventually.within(Duration.ofSeconds(5), () -> assertEquals(expected, Etcd.get("/services/")));
        System.out.printf("etcd outage of 30 s: exact %d ms after etcd answered%n", (System.nanoTime() - back) / 1_000_000);

        // the watch routes are back too: a key deleted by hand is restored within a second
        String deleted = expected.keySet().iterator().next();
        Eventually.within(Duration.ofSeconds(5), () -> assertEquals(200, httpGet("/observe/health/ready").statusCode()));
        Etcd.client().getKVClient().delete(Etcd.bytes(deleted)).get(5, TimeUnit.SECONDS);
        Eventually.within(Duration.ofSeconds(1), () -> assertEquals(expected.get(deleted), Etcd.get(deleted).get(deleted)));
        // the outage dropped every watch and failed many calls: each is a line, none a stack trace
        log.close();
        assertEquals(List.of(), log.throwables().stream()
                .filter(t -> !t.startsWith("org.testcontainers") && !t.startsWith("tc.")).toList());
    }

    @Test
    void aHungEtcdBlocksNothing() throws Exception {
        Workload gone = workloads.start(Workloads.uniqueName("gone"), Map.of(), 80);
        assertExactly("/services/", Map.of(key(gone), IP + ":" + gone.hostPort(80)));

        Etcd.pause();
        long paused = System.nanoTime();
        Workload started;
        try {
            started = workloads.start(Workloads.uniqueName("started"), Map.of(), 80);
            workloads.remove(gone);
            // every call has a deadline: the process keeps answering and reports why it is not ready
            assertReadinessReportsEtcdDown();
            // several deadlines and keep-alive ticks pass while it hangs
            sleepUntil(paused, 10_000);
            long asked = System.nanoTime();
            assertEquals(200, httpGet("/observe/health/live").statusCode());
            assertTrue(System.nanoTime() - asked < TimeUnit.SECONDS.toNanos(2), "liveness took over 2 s");
            assertEquals(503, httpGet("/observe/health/ready").statusCode());
        } finally {
            Etcd.unpause();
        }
        long back = System.nanoTime();
        Eventually.within(Duration.ofSeconds(5),
                () -> assertEquals(Map.of(key(started), IP + ":" + started.hostPort(80)), Etcd.get("/services/")));
        System.out.printf("hung etcd: exact %d ms after it answered again%n", (System.nanoTime() - back) / 1_000_000);
    }

    @Test
    void aLostLeaseIsReplacedAndEveryKeyWrittenAgain() throws Exception {
        Workload w = workloads.start(Workloads.uniqueName("leased"), Map.of(), 80);
        String key = key(w);
        assertExactly("/services/", Map.of(key, IP + ":" + w.hostPort(80)));
        long lost = registry().lease();
        Etcd.client().getLeaseClient().revoke(lost).get(5, TimeUnit.SECONDS);
        assertEquals(Map.of(), Etcd.get("/services/"));
        assertExactly("/services/", Map.of(key, IP + ":" + w.hostPort(80)));
        assertNotEquals(lost, registry().lease());
        assertEquals(registry().lease(), Etcd.kv(key).getLease());
    }
}
