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

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator", "registrator.ttl", "5", "registrator.etcd-timeout", "1000"};
    }

    private static String key(Workload w) {
        return "/services/" + Workloads.SERVICE_NAME + "/" + HOST + ":" + w.name() + ":80";
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

        Etcd.stop();
        long stopped = System.nanoTime();
        expected.clear();
        try {
            for (int i = 0; i < 10; i++) {
                Workload w = workloads.start(Workloads.uniqueName("during" + i), Map.of(), 80);
                expected.put(key(w), IP + ":" + w.hostPort(80));
            }
            for (Workload w : before) {
                workloads.remove(w);
            }
            // no call hangs: the registrator still answers its own health checks and syncs
            assertTrue(context.isStarted());
            long left = 30_000 - (System.nanoTime() - stopped) / 1_000_000;
            if (left > 0) {
                Thread.sleep(left);
            }
        } finally {
            Etcd.start();
        }
        long back = System.nanoTime();
        Eventually.within(Duration.ofSeconds(5), () -> assertEquals(expected, Etcd.get("/services/")));
        System.out.printf("etcd outage of 30 s: exact %d ms after etcd answered%n", (System.nanoTime() - back) / 1_000_000);
    }

    @Test
    void aLostLeaseIsReplacedAndEveryKeyWrittenAgain() throws Exception {
        Workload w = workloads.start(Workloads.uniqueName("leased"), Map.of(), 80);
        String key = "/services/" + Workloads.SERVICE_NAME + "/" + HOST + ":" + w.name() + ":80";
        assertExactly("/services/", Map.of(key, IP + ":" + w.hostPort(80)));
        long lost = registry().lease();
        Etcd.client().getLeaseClient().revoke(lost).get(5, TimeUnit.SECONDS);
        assertEquals(Map.of(), Etcd.get("/services/"));
        assertExactly("/services/", Map.of(key, IP + ":" + w.hostPort(80)));
        assertNotEquals(lost, registry().lease());
        assertEquals(registry().lease(), Etcd.kv(key).getLease());
    }
}
