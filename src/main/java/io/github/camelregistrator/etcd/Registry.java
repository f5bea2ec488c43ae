package io.github.camelregistrator.etcd;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.github.camelregistrator.layout.Entry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's view of etcd: one jetcd client, one lease with keep-alive, the desired entries,
 * and the keys it owns. A key is owned when it is bound to this run's lease or to the previous
 * run's (recorded under the bookkeeping prefix); nothing else is ever overwritten or deleted.
 * Writes are guarded transactions with a deadline, and only differences are written.
 */
public class Registry extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger("registrator");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROUNDS = 3;

    /** A key this host holds, as last read or written. */
    record Owned(String value, long modRevision, long lease) {
    }

    /** What a flush or a reconcile changed. */
    public record Changes(int puts, int deletes, int pending) {
    }

    private final Client client;
    private final String hostKey;
    private final long ttl;
    private final long timeoutMs;
    private final boolean dryRun;
    private final List<String> prefixes;
    private final AtomicLong stamps = new AtomicLong();
    private volatile Runnable resync = () -> {
    };

    private final Object lock = new Object();
    private final DesiredState desired = new DesiredState(msg -> LOG.warn("conflict {}", msg));
    private final Map<String, Owned> owned = new HashMap<>();
    private final Set<String> dirty = new TreeSet<>();
    private volatile long lease;
    private volatile long previousLease;
    private volatile boolean connected;
    private volatile boolean establishedOnce;
    private volatile boolean warnedDown;
    private ScheduledExecutorService keepAlive;

    /**
     * @param prefixes the key prefixes of the active layouts, scanned for owned keys
     * @param hostKey  bookkeeping key that records this host's lease
     */
    public Registry(Client client, String hostKey, Collection<String> prefixes, long ttlSeconds, long timeoutMs,
                    boolean dryRun) {
        this.client = client;
        this.hostKey = hostKey;
        this.prefixes = List.copyOf(new TreeSet<>(prefixes));
        this.ttl = ttlSeconds;
        this.timeoutMs = timeoutMs;
        this.dryRun = dryRun;
    }

    /** Called whenever etcd's content may have drifted: after a (re)connect or a lost lease. */
    public void onResyncNeeded(Runnable resync) {
        this.resync = resync;
    }

    /** A new stamp, taken before an inspect or a container list, ordering what they found. */
    public long stamp() {
        return stamps.incrementAndGet();
    }

    public boolean isConnected() {
        return connected;
    }

    public long lease() {
        return lease;
    }

    // ---- lifecycle -------------------------------------------------------------------------

    @Override
    protected void doStart() {
        keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "registrator-lease");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(500, ttl * 1000 / 3);
        keepAlive.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (keepAlive != null) {
            keepAlive.shutdownNow();
        }
        long current = lease;
        if (current != 0 && !dryRun) {
            try {
                await(client.getLeaseClient().revoke(current));
                LOG.info("lease revoked lease={} keys removed", Long.toHexString(current));
            } catch (Exception e) {
                LOG.warn("lease revoke failed lease={}: {}; keys expire within {} s", Long.toHexString(current),
                        message(e), ttl);
            }
        }
        lease = 0;
        client.close();
    }

    /** Keeps the lease alive, (re)establishes it when missing or lost, and flushes pending work. */
    void tick() {
        try {
            if (lease == 0 && (!dryRun || !establishedOnce)) {
                establish();
            } else if (!dryRun) {
                long remaining = await(client.getLeaseClient().keepAliveOnce(lease)).getTTL();
                if (remaining <= 0) {
                    leaseLost();
                    return;
                }
            } else {
                await(client.getKVClient().get(bytes(hostKey)));
            }
            warnedDown = false;
            if (!connected) {
                connected = true;
                LOG.info("etcd reachable again; reconciling");
                resync.run();
            }
            synchronized (lock) {
                if (!dirty.isEmpty()) {
                    flushLocked();
                }
            }
        } catch (Exception e) {
            if (message(e).contains("requested lease not found")) {
                leaseLost();
                return;
            }
            if (!warnedDown) {
                warnedDown = true;
                LOG.warn("etcd unreachable: {}; retrying every {} ms, changes are kept until it answers",
                        message(e), Math.max(500, ttl * 1000 / 3));
            }
            connected = false;
        }
    }

    private void establish() throws Exception {
        long previous = readPreviousLease();
        if (!dryRun) {
            long granted = await(client.getLeaseClient().grant(ttl)).getID();
            String record = JSON.writeValueAsString(Map.of("lease", granted, "ttl", ttl));
            await(client.getKVClient().put(bytes(hostKey), bytes(record),
                    PutOption.builder().withLeaseId(granted).build()));
            synchronized (lock) {
                lease = granted;
                if (previous != granted && previous != 0 && previousLease == 0 && !establishedOnce) {
                    previousLease = previous;
                }
                dirty.addAll(desired.keys());
            }
            LOG.info("lease granted lease={} ttl={}s{}", Long.toHexString(granted), ttl,
                    previousLease != 0 ? " previous-lease=" + Long.toHexString(previousLease) : "");
        } else {
            previousLease = previous;
            LOG.info("dry-run: writing nothing; previous lease of this host={}", Long.toHexString(previous));
        }
        establishedOnce = true;
        connected = true;
        resync.run();
    }

    private long readPreviousLease() throws Exception {
        GetResponse r = await(client.getKVClient().get(bytes(hostKey)));
        if (r.getKvs().isEmpty()) {
            return 0;
        }
        try {
            JsonNode node = JSON.readTree(r.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8));
            return node.path("lease").asLong(0);
        } catch (Exception e) {
            LOG.warn("unreadable host record {}: {}", hostKey, message(e));
            return 0;
        }
    }

    private void leaseLost() {
        LOG.warn("lease lost lease={}; granting a new one and writing every key again", Long.toHexString(lease));
        synchronized (lock) {
            owned.clear();
            lease = 0;
        }
        connected = false;
        try {
            establish();
        } catch (Exception e) {
            LOG.warn("new lease not granted yet: {}", message(e));
        }
    }

    // ---- applying desired state ------------------------------------------------------------

    /**
     * Records one container's entries (empty when it is gone) and writes the difference.
     * While etcd is unreachable the change is kept, coalesced per key, and written when it answers.
     */
    public Changes apply(String containerId, long stamp, List<Entry> entries) {
        synchronized (lock) {
            dirty.addAll(desired.put(containerId, stamp, entries));
            return connected ? flushLocked() : new Changes(0, 0, dirty.size());
        }
    }

    /**
     * Replaces the desired state with a full snapshot, re-reads what this host owns in etcd,
     * writes what is missing or different, deletes what is stale, then revokes the previous
     * run's lease.
     */
    public Changes reconcile(long stamp, Map<String, List<Entry>> snapshot) throws Exception {
        synchronized (lock) {
            dirty.addAll(desired.replaceAll(stamp, snapshot));
            if (lease == 0 && !dryRun) {
                return new Changes(0, 0, dirty.size());
            }
            Map<String, Owned> actual = readOwned();
            owned.clear();
            owned.putAll(actual);
            dirty.addAll(owned.keySet());
            Changes changes = flushLocked();
            if (changes.pending() == 0 && previousLease != 0) {
                long previous = previousLease;
                previousLease = 0;
                if (!dryRun) {
                    try {
                        await(client.getLeaseClient().revoke(previous));
                        LOG.info("previous lease revoked lease={}", Long.toHexString(previous));
                    } catch (Exception e) {
                        // it expires on its own; what it still holds is not ours to keep
                        LOG.info("previous lease already gone lease={} ({})", Long.toHexString(previous), message(e));
                    }
                }
            }
            return changes;
        }
    }

    public int containers() {
        synchronized (lock) {
            return desired.containers();
        }
    }

    private Map<String, Owned> readOwned() throws Exception {
        List<CompletableFuture<GetResponse>> reads = new ArrayList<>();
        for (String prefix : prefixes) {
            reads.add(client.getKVClient().get(bytes(prefix + "/"), GetOption.builder().isPrefix(true).build()));
        }
        Map<String, Owned> out = new HashMap<>();
        for (CompletableFuture<GetResponse> read : reads) {
            for (KeyValue kv : await(read).getKvs()) {
                if (ours(kv.getLease())) {
                    out.put(kv.getKey().toString(StandardCharsets.UTF_8),
                            new Owned(kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision(), kv.getLease()));
                }
            }
        }
        return out;
    }

    private boolean ours(long kvLease) {
        return kvLease != 0 && (kvLease == lease || kvLease == previousLease);
    }

    /** Writes every dirty key whose etcd content differs from the desired value. */
    private Changes flushLocked() {
        int puts = 0;
        int deletes = 0;
        for (int round = 0; round < ROUNDS && !dirty.isEmpty(); round++) {
            Map<String, CompletableFuture<TxnResponse>> calls = new LinkedHashMap<>();
            Map<String, String> wanted = new HashMap<>();
            for (String key : new ArrayList<>(dirty)) {
                String want = desired.value(key);
                Owned have = owned.get(key);
                if (want == null && have == null
                        || want != null && have != null && have.value.equals(want) && have.lease == lease) {
                    dirty.remove(key);
                    continue;
                }
                wanted.put(key, want);
                if (dryRun) {
                    log(key, want, "dry-run ");
                    if (want == null) {
                        owned.remove(key);
                        deletes++;
                    } else {
                        owned.put(key, new Owned(want, 0, lease));
                        puts++;
                    }
                    dirty.remove(key);
                    continue;
                }
                calls.put(key, guarded(key, want, have));
            }
            for (Map.Entry<String, CompletableFuture<TxnResponse>> call : calls.entrySet()) {
                String key = call.getKey();
                String want = wanted.get(key);
                if (!connected) {
                    // one deadline per flush, not one per key
                    call.getValue().cancel(true);
                    continue;
                }
                TxnResponse r;
                try {
                    r = await(call.getValue());
                } catch (Exception e) {
                    if (connected) {
                        LOG.warn("etcd write failed key={}: {}; kept for retry", key, message(e));
                    }
                    connected = false;
                    continue;
                }
                if (r.isSucceeded()) {
                    log(key, want, "");
                    if (want == null) {
                        owned.remove(key);
                        deletes++;
                    } else {
                        owned.put(key, new Owned(want, r.getHeader().getRevision(), lease));
                        puts++;
                    }
                    dirty.remove(key);
                    continue;
                }
                List<KeyValue> current = r.getGetResponses().isEmpty() ? List.of() : r.getGetResponses().get(0).getKvs();
                if (current.isEmpty()) {
                    owned.remove(key);
                } else if (ours(current.get(0).getLease())) {
                    KeyValue kv = current.get(0);
                    owned.put(key, new Owned(kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision(), kv.getLease()));
                } else {
                    owned.remove(key);
                    dirty.remove(key);
                    if (want != null) {
                        LOG.warn("not overwritten key={}: held by another lease={}", key,
                                Long.toHexString(current.get(0).getLease()));
                    }
                }
            }
            if (!connected) {
                break;
            }
        }
        return new Changes(puts, deletes, dirty.size());
    }

    /** Put or delete, only if the key still is what this host last saw; else read it back. */
    private CompletableFuture<TxnResponse> guarded(String key, String want, Owned have) {
        ByteSequence k = bytes(key);
        Cmp unchanged = have == null
                ? new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(0))
                : new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(have.modRevision));
        Op write = want == null
                ? Op.delete(k, DeleteOption.DEFAULT)
                : Op.put(k, bytes(want), PutOption.builder().withLeaseId(lease).build());
        return client.getKVClient().txn().If(unchanged).Then(write).Else(Op.get(k, GetOption.DEFAULT)).commit();
    }

    private static void log(String key, String value, String mode) {
        if (value == null) {
            LOG.info("{}delete key={}", mode, key);
        } else {
            LOG.info("{}put key={} value={}", mode, key, value);
        }
    }

    private <T> T await(CompletableFuture<T> call) throws Exception {
        try {
            return call.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new TimeoutException("no answer from etcd within " + timeoutMs + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** Test and log view: the keys this host believes it owns. */
    public Set<String> ownedKeys() {
        synchronized (lock) {
            return new HashSet<>(owned.keySet());
        }
    }
}
