package io.github.camelregistrator.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.KeyValue;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand edits of what this host owns are undone at once, not by the next full pass (the
 * resync timer is set to 300 s so that it cannot be what repairs).
 */
class HandEditIT extends RegistratorTestSupport {
    private static final Duration REPAIR = Duration.ofSeconds(5);

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator", "registrator.resync", "300"};
    }

    /** The key carries this registrator's current lease (and so goes with it). */
    private void assertOnOurLease(String key, String value) {
        KeyValue kv = Etcd.read(key);
        assertNotNull(kv, key + " is missing");
        assertEquals(value, kv.getValue().toString(StandardCharsets.UTF_8));
        assertEquals(registry().lease(), kv.getLease(), key + " is not on the registrator's lease");
    }

    @Test
    void aLeaselessPutOfTheSameValueIsTakenBackAndTheKeyStillGoesWithItsContainer() throws Exception {
        Workload w = workloads.start(Workloads.uniqueName("hand"), Map.of(), 80);
        String key = serviceKey(w.name());
        String value = IP + ":" + w.hostPort(80);
        assertExactly("/services/", Map.of(key, value));
        eventually(() -> assertOnOurLease(key, value));

        // same value, no lease: the key would outlive the registrator and its container
        long handPut = Etcd.client().getKVClient().put(Etcd.bytes(key), Etcd.bytes(value)).get(5, TimeUnit.SECONDS)
                .getHeader().getRevision();
        // the repair may come before any read here could see the lease-less key: its revision proves it came after
        Eventually.within(REPAIR, () -> {
            assertOnOurLease(key, value);
            assertTrue(Etcd.read(key).getModRevision() > handPut, "not written again after the hand put");
        });

        workloads.remove(w);
        Eventually.within(REPAIR, () -> assertNull(Etcd.read(key), key + " outlived its container"));
    }

    @Test
    void aDeletedHostRecordIsRestored() throws Exception {
        // application.properties' bookkeeping prefix, then hosts/<host-id>
        String hostKey = "/registrator/hosts/" + HOST;
        eventually(() -> {
            KeyValue kv = Etcd.read(hostKey);
            assertNotNull(kv, hostKey + " is missing");
            assertEquals(registry().lease(), kv.getLease());
        });

        long deleted = Etcd.client().getKVClient().delete(Etcd.bytes(hostKey)).get(5, TimeUnit.SECONDS)
                .getHeader().getRevision();
        // the restore may come before any read here could see it gone: its revision proves it came after;
        // it records this run's lease: without it the next run cannot take over and clean up
        Eventually.within(REPAIR, () -> {
            KeyValue kv = Etcd.read(hostKey);
            assertNotNull(kv, hostKey + " was not restored");
            assertTrue(kv.getModRevision() > deleted, "not written again after the delete");
            assertEquals(registry().lease(), kv.getLease());
            assertTrue(kv.getValue().toString(StandardCharsets.UTF_8)
                    .contains("\"lease\":" + registry().lease()), kv.getValue().toString());
        });
    }
}
