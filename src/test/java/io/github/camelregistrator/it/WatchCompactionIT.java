package io.github.camelregistrator.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.KeyValue;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watch's revision is compacted away while the registrator cannot reach etcd: once it
 * can again, the watch must start afresh (quietly, no stack traces), so that a key deleted by
 * hand is still restored at once. resync=300: the timer cannot be what repairs it.
 */
class WatchCompactionIT extends RegistratorTestSupport {
    private static Partition partition;
    private static LogCapture log;

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

    @AfterEach
    void closeLog() {
        log.close();
    }

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator", "registrator.resync", "300",
                "registrator.etcd-endpoints", partition().endpoint()};
    }

    @Override
    protected void beforeRegistratorStarts() {
        log = new LogCapture();
    }

    @Test
    void aWatchWhoseRevisionWasCompactedAwayStillRestoresADeletedKey() throws Exception {
        Workload w = workloads.start(Workloads.uniqueName("watched"), Map.of(), 80);
        String key = serviceKey(w.name());
        String value = IP + ":" + w.hostPort(80);
        assertExactly("/services/", Map.of(key, value));

        // while cut off (briefly: the keep-alive may not even notice, the watch's stream does),
        // the prefix the registrator watches moves on and its history is compacted
        partition().cut();
        long compacted;
        try {
            long revision = 0;
            for (int i = 0; i < 50; i++) {
                revision = Etcd.client().getKVClient().put(Etcd.bytes("/services/other/x"), Etcd.bytes("v" + i))
                        .get(5, TimeUnit.SECONDS).getHeader().getRevision();
            }
            Etcd.client().getKVClient().compact(revision).get(5, TimeUnit.SECONDS);
            compacted = revision;
        } finally {
            partition().heal();
        }
        Eventually.within(Duration.ofSeconds(15), () -> assertEquals(200, httpGet("/observe/health/ready").statusCode()));
        assertEquals(Map.of(key, value, "/services/other/x", "v49"), Etcd.get("/services/"));

        long deleted = Etcd.client().getKVClient().delete(Etcd.bytes(key)).get(5, TimeUnit.SECONDS).getHeader().getRevision();
        long since = System.nanoTime();
        Eventually.within(Duration.ofSeconds(2), () -> {
            try {
                KeyValue kv = Etcd.kv(key);
                assertNotNull(kv, "not restored");
                assertTrue(kv.getModRevision() > deleted);
                assertEquals(value, kv.getValue().toString(StandardCharsets.UTF_8));
                assertEquals(registry().lease(), kv.getLease(), "restored on another lease");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        System.out.printf("watch compacted at revision %d: a deleted key restored %d ms later%n",
                compacted, (System.nanoTime() - since) / 1_000_000);

        // the compaction is worth a line or two, not a storm, and no stack trace
        List<String> compactLines = log.lines().stream().filter(l -> l.toLowerCase().contains("compact")).toList();
        assertTrue(compactLines.size() <= 5, compactLines.size() + " lines about compaction: "
                + compactLines.subList(0, Math.min(5, compactLines.size())));
        List<String> traces = log.throwables().stream().filter(t -> t.contains("CompactedException")).toList();
        assertEquals(0, traces.size(), traces.size() + " stack traces of CompactedException, the first: "
                + traces.stream().findFirst().orElse(""));
        assertEquals(Map.of(key, value, "/services/other/x", "v49"), Etcd.get("/services/"));
    }
}
