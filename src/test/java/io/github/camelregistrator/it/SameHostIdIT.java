package io.github.camelregistrator.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two registrators with one host-id on one etcd (a host restarted while its old process
 * lingers, or a copy-pasted configuration): when the one holding the keys dies, the other
 * writes them again at once rather than leaving them absent until its next full pass.
 */
class SameHostIdIT extends RegistratorTestSupport {
    private static final int JAR_TTL = 5;

    /** One event as the test's watch saw it, with when it arrived. */
    private record Seen(WatchEvent.EventType type, long lease, long nanos) {
        @Override
        public String toString() {
            return type + (type == WatchEvent.EventType.PUT ? " lease=" + Long.toHexString(lease) : "");
        }
    }

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator", "registrator.resync", "300"};
    }

    @Test
    void whenTheHolderIsKilledTheKeyIsAbsentForAtMostTwoSeconds() throws Exception {
        Workload w = workloads.start(Workloads.uniqueName("same"), Map.of(), 80);
        String key = serviceKey(w.name());
        String value = IP + ":" + w.hostPort(80);
        assertExactly("/services/", Map.of(key, value));
        eventually(() -> assertEquals(registry().lease(), Etcd.read(key).getLease()));

        try (JarRegistrator jar = JarRegistrator.start("--etcd-endpoints=" + Etcd.endpoint(), "--host-id=" + HOST,
                "--advertise-ip=" + IP, "--layouts=registrator", "--ttl=" + JAR_TTL, "--resync=300")) {
            // the newer run takes the previous run's keys over onto its own lease
            Eventually.within(Duration.ofSeconds(30), () -> {
                KeyValue kv = Etcd.read(key);
                assertNotNull(kv, key + " is missing");
                assertEquals(value, kv.getValue().toString(StandardCharsets.UTF_8));
                assertNotEquals(0, kv.getLease());
                assertNotEquals(registry().lease(), kv.getLease(), "the jar did not take the key over");
            });
            long jarLease = Etcd.kv(key).getLease();
            System.out.printf("same host-id: the jar holds %s on lease %x; the test JVM's lease is %x%n",
                    key, jarLease, registry().lease());

            List<Seen> seen = new CopyOnWriteArrayList<>();
            try (Watch.Watcher watch = Etcd.client().getWatchClient().watch(Etcd.bytes(key), Watch.listener(r -> {
                long now = System.nanoTime();
                r.getEvents().forEach(e -> seen.add(new Seen(e.getEventType(), e.getKeyValue().getLease(), now)));
            }))) {
                assertEquals(jarLease, Etcd.kv(key).getLease(), "the key changed hands before the kill");
                jar.kill();
                // the jar's lease expires within its TTL; then the key must come back within 2 s
                long deleteMs = Eventually.millisUntil(Duration.ofSeconds(JAR_TTL + 5),
                        () -> seen.stream().anyMatch(s -> s.type() == WatchEvent.EventType.DELETE || s.lease() != jarLease));
                assertTrue(deleteMs >= 0, "the key was neither deleted nor taken over after the kill: " + seen);
                Eventually.millisUntil(Duration.ofSeconds(10), () -> gapMs(seen, jarLease) >= 0);
                long gap = gapMs(seen, jarLease);
                System.out.printf("same host-id: key absent for %s after kill -9 of the holder (events: %s)%n",
                        gap < 0 ? "over 10 s" : gap + " ms", seen);
                assertTrue(gap >= 0 && gap <= 2000, "the key was absent for " + (gap < 0 ? "over 10 s" : gap + " ms"));
            }
        }
        eventually(() -> {
            assertEquals(Map.of(key, value), Etcd.get("/services/"));
            assertEquals(registry().lease(), Etcd.read(key).getLease());
        });
    }

    /**
     * From the first DELETE to the PUT after it; 0 when another lease took the key over
     * without one; -1 when neither happened yet.
     */
    private static long gapMs(List<Seen> seen, long jarLease) {
        Seen deleted = null;
        for (Seen s : seen) {
            if (deleted == null && s.type() == WatchEvent.EventType.DELETE) {
                deleted = s;
            } else if (s.type() == WatchEvent.EventType.PUT && s.lease() != jarLease) {
                return deleted == null ? 0 : (s.nanos() - deleted.nanos()) / 1_000_000;
            }
        }
        return -1;
    }
}
