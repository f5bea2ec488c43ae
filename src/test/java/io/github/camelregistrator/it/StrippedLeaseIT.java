package io.github.camelregistrator.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Keys of this host that lost their lease while its registrator was down (kill -9, then a hand
 * put without a lease, as `etcdctl put` or a copy that drops leases leaves them), whose
 * containers are gone before it starts again: the next run removes them, found through its
 * record of the keys it wrote, not through a lease. A key another live host holds at the same
 * path is never touched.
 */
class StrippedLeaseIT {
    private final Workloads workloads = new Workloads();

    @AfterEach
    void removeWorkloads() {
        workloads.close();
    }

    @Test
    void keysStrippedOfTheirLeaseWhileDownAreRemovedByTheNextRun() throws Exception {
        try (EtcdProcess etcd = new EtcdProcess()) {
            etcd.start();
            Client c = etcd.client();
            Workload handPut = workloads.start(Workloads.uniqueName("stripped"), Map.of(), 80);
            Workload recreated = workloads.start(Workloads.uniqueName("stripped"), Map.of(), 80);
            Workload otherHost = workloads.start(Workloads.uniqueName("stripped"), Map.of(), 80);
            Workload stays = workloads.start(Workloads.uniqueName("stripped"), Map.of(), 80);
            String[] flags = {"--etcd-endpoints=" + etcd.endpoint(), "--host-id=stripped-it", "--advertise-ip=10.0.0.5",
                "--names=stripped-.*", "--ttl=60"};

            JarRegistrator first = JarRegistrator.start(flags);
            try {
                for (Workload w : new Workload[] {handPut, recreated, otherHost, stays}) {
                    Eventually.within(Duration.ofSeconds(30), () -> assertNotNull(kv(c, key(w)), key(w) + " not registered"));
                }
            } finally {
                first.kill();
            }

            // while no registrator runs: the same steps as `etcdctl put` and `etcdctl del` would take
            c.getKVClient().put(Etcd.bytes(key(handPut)), Etcd.bytes("10.66.66.66:1")).get(5, TimeUnit.SECONDS);
            c.getKVClient().delete(Etcd.bytes(key(recreated))).get(5, TimeUnit.SECONDS);
            c.getKVClient().put(Etcd.bytes(key(recreated)), Etcd.bytes("10.77.77.77:2")).get(5, TimeUnit.SECONDS);
            // another host, alive, now holds the same path on its own lease
            long alive = c.getLeaseClient().grant(120).get(5, TimeUnit.SECONDS).getID();
            c.getKVClient().put(Etcd.bytes(key(otherHost)), Etcd.bytes("10.88.88.88:3"),
                    PutOption.builder().withLeaseId(alive).build()).get(5, TimeUnit.SECONDS);
            KeyValue theirs = kv(c, key(otherHost));
            workloads.remove(handPut);
            workloads.remove(recreated);
            workloads.remove(otherHost);

            try (JarRegistrator second = JarRegistrator.start(first.dir(), flags)) {
                long started = System.nanoTime();
                Eventually.within(Duration.ofSeconds(30), () -> {
                    assertNull(kv(c, key(handPut)), key(handPut) + " outlived its container");
                    assertNull(kv(c, key(recreated)), key(recreated) + " outlived its container");
                    KeyValue kept = kv(c, key(stays));
                    assertNotNull(kept, key(stays) + " missing");
                });
                long removed = System.currentTimeMillis();
                System.out.printf("stripped keys removed %d ms after the registrator was started again, %d ms after "
                        + "its new lease%n", (System.nanoTime() - started) / 1_000_000, removed - leaseGranted(second.log()));
                KeyValue now = kv(c, key(otherHost));
                assertNotNull(now, "another live host's key was removed");
                assertEquals(theirs.getModRevision(), now.getModRevision(), "another live host's key was touched");
                assertEquals(alive, now.getLease());
                // the record names what this host holds now, and no longer the other host's key
                Eventually.within(Duration.ofSeconds(10), () -> assertEquals(Map.of(
                        "/registrator/keys/stripped-it" + key(stays), ""), Etcd.get(c, "/registrator/keys/stripped-it/")));
                assertEquals("10.0.0.5:" + stays.hostPort(80), kv(c, key(stays)).getValue().toString(StandardCharsets.UTF_8));
            }
        }
    }

    /** When the run's log says its lease was granted (wall clock, as the log prints it). */
    private static long leaseGranted(String log) {
        String line = log.lines().filter(l -> l.contains("lease granted")).reduce((a, b) -> b).orElseThrow();
        return java.time.LocalDateTime.parse(line.substring(0, 23).replace(' ', 'T'))
                .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();
    }

    private static String key(Workload w) {
        return "/services/" + Workloads.SERVICE_NAME + "/stripped-it:" + w.name() + ":80";
    }

    private static KeyValue kv(Client c, String key) {
        try {
            var kvs = c.getKVClient().get(Etcd.bytes(key), GetOption.DEFAULT).get(5, TimeUnit.SECONDS).getKvs();
            return kvs.isEmpty() ? null : kvs.get(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
