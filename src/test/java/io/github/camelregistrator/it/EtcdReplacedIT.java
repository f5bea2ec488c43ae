package io.github.camelregistrator.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * etcd is replaced by a new, empty cluster on the same endpoint (a restore gone wrong, a
 * rebuilt node): another cluster id, revisions from the start, no lease of ours. The
 * registrator must notice and write everything again, and its watch must follow the new
 * cluster. resync=300: the timer cannot be what repairs it.
 */
class EtcdReplacedIT extends RegistratorTestSupport {
    private static final int PORT = Etcd.freePort();
    private static final int PEER = Etcd.freePort();
    private static DedicatedEtcd etcd;

    private static synchronized DedicatedEtcd etcd() {
        if (etcd == null) {
            // a token of its own per start: the same member on the same URLs then forms another cluster
            etcd = new DedicatedEtcd(PORT, PEER, "--initial-cluster-token", "first");
        }
        return etcd;
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Override
    protected String[] overrides() {
        // the shipped TTL: a keep-alive every 5 s, so the swap can fall between two of them
        return new String[] {"registrator.layouts", "registrator", "registrator.resync", "300", "registrator.ttl", "15",
                "registrator.etcd-endpoints", etcd().endpoint()};
    }

    @Test
    void aNewEmptyEtcdOnTheSameEndpointGetsEveryKeyBackAndIsWatched() throws Exception {
        Map<String, String> expected = new TreeMap<>();
        for (String base : new String[] {"first", "second"}) {
            Workload w = workloads.start(Workloads.uniqueName(base), Map.of(), 80);
            expected.put(serviceKey(w.name()), IP + ":" + w.hostPort(80));
        }
        Eventually.within(Duration.ofSeconds(10), () -> assertEquals(expected, Etcd.get(etcd().client(), "/services/")));
        // the old cluster's history runs far ahead of the new one's, in the watched prefix too
        for (int i = 0; i < 100; i++) {
            etcd().client().getKVClient().put(Etcd.bytes("/services/other/x"), Etcd.bytes("v" + i)).get(5, TimeUnit.SECONDS);
        }
        etcd().client().getKVClient().delete(Etcd.bytes("/services/other/x")).get(5, TimeUnit.SECONDS);
        long oldCluster = clusterId(etcd().client());

        // replace it: the container and its data go, a new one starts on the same port
        etcd.close();
        etcd = new DedicatedEtcd(PORT, PEER, "--initial-cluster-token", "second");
        long answered = etcd.awaitHealthy();
        assertNotEquals(oldCluster, clusterId(etcd.client()), "not a new cluster");
        Eventually.within(Duration.ofSeconds(10), () -> assertEquals(expected, Etcd.get(etcd.client(), "/services/")));
        System.out.printf("etcd replaced: every key back %d ms after the new etcd answered /health%n",
                (System.nanoTime() - answered) / 1_000_000);

        // the watch follows the new cluster: a key deleted by hand comes back at once
        String key = expected.keySet().iterator().next();
        long deleted = etcd.client().getKVClient().delete(Etcd.bytes(key)).get(5, TimeUnit.SECONDS).getHeader().getRevision();
        long since = System.nanoTime();
        Eventually.within(Duration.ofSeconds(2), () -> {
            KeyValue kv = kv(etcd.client(), key);
            assertNotNull(kv, "not restored");
            assertTrue(kv.getModRevision() > deleted);
            assertEquals(expected.get(key), kv.getValue().toString(StandardCharsets.UTF_8));
        });
        System.out.printf("etcd replaced: a deleted key restored %d ms later%n", (System.nanoTime() - since) / 1_000_000);

        // the truth: exactly these keys, all on the lease the registrator now holds
        Eventually.within(Duration.ofSeconds(5), () -> assertEquals(200, httpGet("/observe/health/ready").statusCode()));
        assertEquals(expected, Etcd.get(etcd.client(), "/services/"));
        for (String k : expected.keySet()) {
            assertEquals(registry().lease(), kv(etcd.client(), k).getLease(), k + " not on the registrator's lease");
        }
    }

    private static long clusterId(Client client) throws Exception {
        return client.getKVClient().get(Etcd.bytes("/")).get(5, TimeUnit.SECONDS).getHeader().getClusterId();
    }

    private static KeyValue kv(Client client, String key) {
        try {
            var kvs = client.getKVClient().get(Etcd.bytes(key)).get(5, TimeUnit.SECONDS).getKvs();
            return kvs.isEmpty() ? null : kvs.get(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
