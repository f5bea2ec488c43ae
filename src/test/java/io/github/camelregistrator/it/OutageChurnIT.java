package io.github.camelregistrator.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.etcd.jetcd.KeyValue;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Containers come and go while etcd is down for 13 s: once etcd answers again, it holds
 * exactly the running containers' keys, on the current lease, within a second. The resync
 * timer (300 s) is not what gets it there.
 */
class OutageChurnIT extends RegistratorTestSupport {

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator", "registrator.resync", "300"};
    }

    @Test
    void etcdIsExactWithinOneSecondOfItsReturn() throws Exception {
        List<Workload> before = new ArrayList<>();
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < 5; i++) {
            Workload w = workloads.start(Workloads.uniqueName("old" + i), Map.of(), 80);
            before.add(w);
            expected.put(serviceKey(w.name()), IP + ":" + w.hostPort(80));
        }
        assertExactly("/services/", expected);

        Etcd.stop();
        long stopped = System.nanoTime();
        try {
            for (int i = 0; i < 5; i++) {
                Workload w = workloads.start(Workloads.uniqueName("new" + i), Map.of(), 80);
                expected.put(serviceKey(w.name()), IP + ":" + w.hostPort(80));
                workloads.remove(before.get(i));
                expected.remove(serviceKey(before.get(i).name()));
            }
            Thread.sleep(Math.max(0, 13_000 - (System.nanoTime() - stopped) / 1_000_000));
        } finally {
            Etcd.start();
        }
        long exactMs = Eventually.millisUntil(Duration.ofSeconds(15), () -> exact(expected));
        System.out.printf("etcd down 13 s, 5 containers started and 5 removed: exact %s after etcd answered%n",
                exactMs < 0 ? "not within 15 s" : exactMs + " ms");
        assertTrue(exactMs >= 0 && exactMs <= 1000, "etcd exact " + (exactMs < 0 ? "not within 15 s" : exactMs + " ms")
                + " after it answered; it holds " + Etcd.get("/services/"));
    }

    /** etcd holds exactly the expected keys, each on the registrator's current lease. */
    private boolean exact(Map<String, String> expected) {
        try {
            if (!expected.equals(Etcd.get("/services/"))) {
                return false;
            }
            for (String key : expected.keySet()) {
                KeyValue kv = Etcd.kv(key);
                if (kv == null || kv.getLease() != registry().lease()) {
                    return false;
                }
            }
            return true;
        } catch (Exception notYet) {
            return false;
        }
    }
}
