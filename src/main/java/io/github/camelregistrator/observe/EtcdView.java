package io.github.camelregistrator.observe;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;

/** What etcd holds at some keys, read now and only read: no put, no lease. */
public final class EtcdView {
    /** A key's value and the lease it is bound to (0: none). */
    public record Held(String value, long lease) {
    }

    private final Client client;
    private final LongSupplier lease;
    private final long timeoutMs;

    /** @param lease this host's lease, as the keys it owns are bound to */
    public EtcdView(Client client, LongSupplier lease, long timeoutMs) {
        this.client = client;
        this.lease = lease;
        this.timeoutMs = timeoutMs;
    }

    public long lease() {
        return lease.getAsLong();
    }

    /** The lease named in this host's record under the bookkeeping prefix; 0 when there is none. */
    public static long recordedLease(Client client, String hostKey, long timeoutMs) throws Exception {
        GetResponse r = client.getKVClient().get(bytes(hostKey)).get(timeoutMs, TimeUnit.MILLISECONDS);
        if (r.getKvs().isEmpty()) {
            return 0;
        }
        var lease = new ObjectMapper().readTree(r.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8)).get("lease");
        return lease == null ? 0 : lease.asLong();
    }

    /** The keys etcd holds among these; absent ones are left out. */
    public Map<String, Held> read(Collection<String> keys) throws Exception {
        Map<String, CompletableFuture<GetResponse>> reads = new LinkedHashMap<>();
        for (String key : keys) {
            reads.putIfAbsent(key, client.getKVClient().get(bytes(key)));
        }
        Map<String, Held> out = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (Map.Entry<String, CompletableFuture<GetResponse>> read : reads.entrySet()) {
            long left = Math.max(1, deadline - System.nanoTime());
            for (KeyValue kv : read.getValue().get(left, TimeUnit.NANOSECONDS).getKvs()) {
                out.put(read.getKey(), new Held(kv.getValue().toString(StandardCharsets.UTF_8), kv.getLease()));
            }
        }
        return out;
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
