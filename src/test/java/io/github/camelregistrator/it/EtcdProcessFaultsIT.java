package io.github.camelregistrator.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real faults, on etcd run as a process that keeps its address: kill -9 and a start again,
 * SIGSTOP and SIGCONT, and a brand-new empty etcd between two keep-alives (TTL 60). Containers
 * come and go meanwhile. Each recovery is timed from the moment etcd logged that it is ready
 * to serve (or was resumed) to the moment etcd holds exactly what runs, each key on the
 * registrator's lease; resync=300, so the timer cannot be what repairs it.
 */
class EtcdProcessFaultsIT extends RegistratorTestSupport {
    private static final Duration OUTAGE = Duration.ofSeconds(6);
    private static EtcdProcess etcd;
    private final Map<String, Workload> byKey = new TreeMap<>();

    private static synchronized EtcdProcess etcd() {
        if (etcd == null) {
            try {
                etcd = new EtcdProcess();
                etcd.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return etcd;
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Override
    protected String[] overrides() {
        // only this test's containers: the engine may run others' meanwhile
        return new String[] {"registrator.layouts", "registrator", "registrator.resync", "300", "registrator.ttl", "60",
                "registrator.names", "procfault-.*", "registrator.etcd-endpoints", etcd().endpoint()};
    }

    @Test
    void killedAndStartedAgainIsExactOnceReady() throws Exception {
        Map<String, String> expected = startSome("restart", 3);
        awaitExact(expected, Duration.ofSeconds(10));

        etcd().kill();
        churnDuring(expected, "restart-outage");
        long ready = etcd().start();
        long ms = awaitExact(expected, Duration.ofSeconds(10), ready);
        System.out.printf("etcd kill -9 and restart: exact %d ms after etcd was ready to serve%n", ms);
        assertHandDeleteRestored(expected);
    }

    @Test
    void pausedAndResumedIsExactOnceResumed() throws Exception {
        Map<String, String> expected = startSome("pause", 3);
        awaitExact(expected, Duration.ofSeconds(10));

        etcd().pause();
        long resumed;
        try {
            churnDuring(expected, "pause-outage");
        } finally {
            resumed = etcd().resume();
        }
        long ms = awaitExact(expected, Duration.ofSeconds(10), resumed);
        System.out.printf("etcd SIGSTOP and SIGCONT: exact %d ms after it was resumed%n", ms);
        assertHandDeleteRestored(expected);
    }

    @Test
    void replacedByAnEmptyEtcdBetweenKeepAlivesGetsEveryKeyBack() throws Exception {
        Map<String, String> expected = startSome("replaced", 3);
        awaitExact(expected, Duration.ofSeconds(10));
        long before = registry().lease();

        // TTL 60: keep-alives every 20 s; the swap takes about 1.5 s and falls between two of them
        long ready = etcd().replace();
        long ms = awaitExact(expected, Duration.ofSeconds(10), ready);
        System.out.printf("etcd replaced by an empty one: exact %d ms after it was ready to serve%n", ms);
        assertTrue(registry().lease() != before, "the old lease is still believed in");
        assertHandDeleteRestored(expected);
    }

    private Map<String, String> startSome(String base, int n) {
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            Workload w = workloads.start(Workloads.uniqueName("procfault-" + base), Map.of(), 80);
            expected.put(serviceKey(w.name()), IP + ":" + w.hostPort(80));
            byKey.put(serviceKey(w.name()), w);
        }
        return expected;
    }

    /** While etcd cannot answer: one container goes, two come, and the outage lasts its time. */
    private void churnDuring(Map<String, String> expected, String base) throws Exception {
        long until = System.nanoTime() + OUTAGE.toNanos();
        String gone = expected.keySet().iterator().next();
        workloads.remove(byKey.get(gone));
        expected.remove(gone);
        expected.putAll(startSome(base, 2));
        TimeUnit.NANOSECONDS.sleep(Math.max(0, until - System.nanoTime()));
    }

    private void awaitExact(Map<String, String> expected, Duration timeout) {
        awaitExact(expected, timeout, System.nanoTime());
    }

    /** @return milliseconds from {@code since} until etcd held exactly the expected keys on the lease */
    private long awaitExact(Map<String, String> expected, Duration timeout, long since) {
        etcd().closeClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = difference(expected);
            if (last.isEmpty()) {
                return (System.nanoTime() - since) / 1_000_000;
            }
            sleep(10);
        }
        throw new AssertionError("etcd not exact within " + timeout + ": " + last);
    }

    /** What is not as expected, or "" when etcd holds exactly that, each key on the registrator's lease. */
    private String difference(Map<String, String> expected) {
        try {
            Client c = etcd().client();
            var kvs = c.getKVClient().get(Etcd.bytes("/services/"), GetOption.builder().isPrefix(true).build())
                    .get(1, TimeUnit.SECONDS).getKvs();
            Map<String, String> held = new TreeMap<>();
            long lease = registry().lease();
            for (KeyValue kv : kvs) {
                String key = kv.getKey().toString(StandardCharsets.UTF_8);
                held.put(key, kv.getValue().toString(StandardCharsets.UTF_8));
                if (kv.getLease() != lease || lease == 0) {
                    return key + " on lease " + kv.getLease() + ", not " + lease;
                }
            }
            return held.equals(expected) ? "" : "holds " + held + ", expected " + expected;
        } catch (Exception e) {
            return "no answer: " + e;
        }
    }

    /** The watch is live after the fault: a key deleted by hand comes back within a second. */
    private void assertHandDeleteRestored(Map<String, String> expected) throws Exception {
        String key = expected.keySet().iterator().next();
        long deleted = etcd().client().getKVClient().delete(Etcd.bytes(key)).get(5, TimeUnit.SECONDS)
                .getHeader().getRevision();
        long since = System.nanoTime();
        Eventually.within(Duration.ofSeconds(1), () -> {
            try {
                var kvs = etcd().client().getKVClient().get(Etcd.bytes(key)).get(1, TimeUnit.SECONDS).getKvs();
                assertEquals(1, kvs.size(), key + " not restored");
                assertTrue(kvs.get(0).getModRevision() > deleted);
                assertNotNull(kvs.get(0).getValue());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        System.out.printf("a key deleted by hand restored %d ms later%n", (System.nanoTime() - since) / 1_000_000);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
