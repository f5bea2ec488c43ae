package io.github.camelregistrator.it;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 3: etcd is unreachable for longer than the TTL while it keeps running, so the
 * lease expires on the server; after the heal a new lease is granted and every key written again.
 */
class PartitionIT extends RegistratorTestSupport {
    private static Partition partition;

    private static synchronized Partition partition() {
        if (partition == null) {
            partition = Partition.toSharedEtcd();
        }
        return partition;
    }

    @AfterAll
    static void closePartition() throws Exception {
        partition().close();
    }

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator", "registrator.ttl", "3",
                "registrator.etcd-endpoints", partition().endpoint()};
    }

    private static String key(Workload w) {
        return serviceKey(w.name());
    }

    @Test
    void aLeaseThatExpiredDuringAPartitionIsReplacedAndEveryKeyWrittenAgain() throws Exception {
        Workload kept = workloads.start(Workloads.uniqueName("kept"), Map.of(), 80);
        Workload gone = workloads.start(Workloads.uniqueName("gone"), Map.of(), 80);
        assertExactly("/services/", Map.of(key(kept), IP + ":" + kept.hostPort(80), key(gone), IP + ":" + gone.hostPort(80)));
        long before = registry().lease();

        partition().cut();
        Workload started;
        try {
            started = workloads.start(Workloads.uniqueName("started"), Map.of(), 80);
            workloads.remove(gone);
            // etcd, seen directly, drops the lease and with it every key of this host
            Eventually.within(Duration.ofSeconds(10), () -> assertEquals(Map.of(), Etcd.get("/services/")));
            long remaining = Etcd.client().getLeaseClient().timeToLive(before, io.etcd.jetcd.options.LeaseOption.DEFAULT)
                    .get(5, TimeUnit.SECONDS).getTTL();
            assertTrue(remaining < 0, "lease still alive on the server: " + remaining);
        } finally {
            partition().heal();
        }
        long healed = System.nanoTime();
        Eventually.within(Duration.ofSeconds(5), () -> assertEquals(
                Map.of(key(kept), IP + ":" + kept.hostPort(80), key(started), IP + ":" + started.hostPort(80)),
                Etcd.get("/services/")));
        System.out.printf("partition longer than the TTL: exact %d ms after the heal%n",
                (System.nanoTime() - healed) / 1_000_000);
        long after = registry().lease();
        assertNotEquals(before, after);
        assertEquals(after, Etcd.kv(key(kept)).getLease());
        assertEquals(after, Etcd.kv(key(started)).getLease());
    }
}
