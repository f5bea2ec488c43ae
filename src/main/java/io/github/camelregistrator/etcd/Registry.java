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
import java.util.concurrent.RejectedExecutionException;
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
import io.github.camelregistrator.health.Metrics;
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
    /** How often a lost connection is retried, whatever the TTL. */
    private static final long RECONNECT_MS = 1000;

    /** A key this host holds, as last read or written. */
    record Owned(String value, long modRevision, long lease, String members) {
    }

    /** What a flush or a reconcile changed. */
    public record Changes(int puts, int deletes, int pending) {
    }

    private final Client client;
    private final Metrics metrics;
    private final String hostKey;
    private final long ttl;
    private final long timeoutMs;
    private final boolean dryRun;
    private final List<String> prefixes;
    private final AtomicLong stamps = new AtomicLong();
    private volatile Runnable resync = () -> {
    };
    private volatile Runnable reconnected = () -> {
    };

    private final Object lock = new Object();
    private final DesiredState desired = new DesiredState(msg -> LOG.warn("conflict {}", msg));
    private final Map<String, Owned> owned = new HashMap<>();
    /** Values of keys under the layouts' prefixes held by other hosts, as last seen. */
    private final Map<String, String> others = new HashMap<>();
    /**
     * Shared keys this host has wanted, with their members' prefix: another host may hand one
     * over to this host's lease at any time, and it must then be released here in turn.
     */
    private final Map<String, String> sharedSeen = new HashMap<>();
    /** Keys left to another host's smaller value, so the warning is said once per value. */
    private final Map<String, String> yielded = new HashMap<>();
    private final Set<String> dirty = new TreeSet<>();
    private volatile long lease;
    private volatile long previousLease;
    private volatile boolean connected;
    private volatile boolean establishedOnce;
    private volatile boolean warnedDown;
    private volatile boolean warnedBackoff;
    /** Set when the keep-alive itself failed, so the watch routes start afresh once etcd answers. */
    private volatile boolean outage;
    private ScheduledExecutorService keepAlive;

    /**
     * @param prefixes the key prefixes of the active layouts, scanned for owned keys
     * @param hostKey  bookkeeping key that records this host's lease
     */
    public Registry(Client client, String hostKey, Collection<String> prefixes, long ttlSeconds, long timeoutMs,
                    boolean dryRun, Metrics metrics) {
        this.client = client;
        this.metrics = metrics;
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

    /** Called on the lease thread when etcd answers a keep-alive again after failing one. */
    public void onReconnected(Runnable reconnected) {
        this.reconnected = reconnected;
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
        keepAlive.execute(this::tickAndReschedule);
    }

    private long keepAlivePeriodMs() {
        return Math.max(500, ttl * 1000 / 3);
    }

    private long retryPeriodMs() {
        return Math.min(RECONNECT_MS, keepAlivePeriodMs());
    }

    /** Ticks at a third of the TTL while etcd answers, and every second while it does not. */
    private void tickAndReschedule() {
        tick();
        long delay = connected ? keepAlivePeriodMs() : retryPeriodMs();
        try {
            keepAlive.schedule(this::tickAndReschedule, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // doStop shut the executor down
        }
    }

    @Override
    protected void doStop() {
        if (keepAlive != null) {
            keepAlive.shutdownNow();
        }
        long current = lease;
        if (current != 0 && !dryRun) {
            synchronized (lock) {
                // shared keys still needed by other hosts must outlive this lease
                for (Map.Entry<String, Owned> e : new ArrayList<>(owned.entrySet())) {
                    if (e.getValue().members != null && connected) {
                        release(e.getKey(), e.getValue(), new int[2], true);
                    }
                }
            }
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
        if (!connected && !EtcdClients.resetConnectBackoff(client) && !warnedBackoff) {
            warnedBackoff = true;
            LOG.warn("this jetcd hides its gRPC channel: after a long outage, reconnecting may take up to 2 min");
        }
        try {
            if (lease == 0 && (!dryRun || !establishedOnce)) {
                establish();
            } else if (!dryRun) {
                long remaining = await(client.getLeaseClient().keepAliveOnce(lease)).getTTL();
                if (remaining <= 0) {
                    answered();
                    leaseLost();
                    return;
                }
            } else {
                await(client.getKVClient().get(bytes(hostKey)));
            }
            answered();
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
                answered();
                leaseLost();
                return;
            }
            metrics.keepAliveFailed();
            outage = true;
            if (!warnedDown) {
                warnedDown = true;
                LOG.warn("etcd unreachable: {}; retrying every {} ms, changes are kept until it answers",
                        message(e), retryPeriodMs());
            }
            connected = false;
        }
    }

    private void answered() {
        warnedDown = false;
        if (outage) {
            outage = false;
            reconnected.run();
        }
    }

    /** A call failed: the next tick comes at once rather than at the end of the keep-alive period. */
    private void markDown() {
        if (connected) {
            connected = false;
            try {
                keepAlive.execute(this::tick);
            } catch (RuntimeException stopping) {
                // not started, or stopping
            }
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

    /**
     * A change someone made to a key under the layouts' prefixes (camel-etcd3's watch consumer,
     * routes/watch.yaml). This host's own writes are recognised by their revision and ignored.
     * A key it wants that was deleted is written again at once; one changed by hand (no lease)
     * is restored; one another registrator wrote with another value settles, on both hosts,
     * on the smaller value.
     */
    public void repair(io.etcd.jetcd.watch.WatchEvent event) {
        if (dryRun) {
            return;
        }
        KeyValue kv = event.getKeyValue();
        String key = kv.getKey().toString(StandardCharsets.UTF_8);
        synchronized (lock) {
            Entry want = desired.entry(key);
            Owned have = owned.get(key);
            if (want == null || have != null && have.modRevision == kv.getModRevision()) {
                return;
            }
            if (event.getEventType() == io.etcd.jetcd.watch.WatchEvent.EventType.DELETE) {
                if (have != null || want.shared()) {
                    LOG.warn("restoring key={}: deleted by someone else", key);
                    owned.remove(key);
                    others.remove(key);
                    dirty.add(key);
                }
            } else {
                String value = kv.getValue().toString(StandardCharsets.UTF_8);
                if (ours(kv.getLease())) {
                    owned.put(key, new Owned(value, kv.getModRevision(), kv.getLease(), have == null ? want.members() : have.members));
                } else {
                    others.put(key, value);
                    if (value.equals(want.value())) {
                        owned.remove(key);
                        return;
                    }
                    if (!claim(key, value, kv, want)) {
                        owned.remove(key);
                        return;
                    }
                }
                dirty.add(key);
            }
            if (connected) {
                flushLocked();
            }
        }
    }

    /**
     * Whether this host takes over a key it wants that holds another value: one written by hand
     * (no lease) always; one another registrator holds only when this host's value is smaller,
     * so that both hosts settle on the same value.
     */
    private boolean claim(String key, String value, KeyValue kv, Entry want) {
        if (kv.getLease() != 0 && want.value().compareTo(value) > 0) {
            if (!value.equals(yielded.put(key, value))) {
                LOG.warn("conflict key={}: another host's lease={} holds value={}, smaller than this host's {}; keeping theirs",
                        key, Long.toHexString(kv.getLease()), value, want.value());
            }
            return false;
        }
        yielded.remove(key);
        LOG.warn("restoring key={}: changed by someone else (lease={}) to value={}", key, Long.toHexString(kv.getLease()), value);
        owned.put(key, new Owned(value, kv.getModRevision(), kv.getLease(), want.members()));
        return true;
    }

    public int containers() {
        synchronized (lock) {
            return desired.containers();
        }
    }

    /** Keys whose change etcd has not taken yet: at most one per key, however many events came. */
    public int pending() {
        synchronized (lock) {
            return dirty.size();
        }
    }

    private Map<String, Owned> readOwned() throws Exception {
        List<CompletableFuture<GetResponse>> reads = new ArrayList<>();
        for (String prefix : prefixes) {
            reads.add(client.getKVClient().get(bytes(prefix + "/"), GetOption.builder().isPrefix(true).build()));
        }
        Map<String, Owned> out = new HashMap<>();
        others.clear();
        for (CompletableFuture<GetResponse> read : reads) {
            for (KeyValue kv : await(read).getKvs()) {
                String key = kv.getKey().toString(StandardCharsets.UTF_8);
                String value = kv.getValue().toString(StandardCharsets.UTF_8);
                if (ours(kv.getLease())) {
                    Owned known = owned.get(key);
                    out.put(key, new Owned(value, kv.getModRevision(), kv.getLease(),
                            known != null && known.members != null ? known.members : sharedSeen.get(key)));
                } else {
                    others.put(key, value);
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
        int[] counts = new int[2];
        for (int round = 0; round < ROUNDS && !dirty.isEmpty() && connected; round++) {
            Map<String, CompletableFuture<TxnResponse>> calls = new LinkedHashMap<>();
            List<String> releases = new ArrayList<>();
            List<String> adoptions = new ArrayList<>();
            for (String key : new ArrayList<>(dirty)) {
                Entry want = desired.entry(key);
                Owned have = owned.get(key);
                if (want != null && want.shared()) {
                    sharedSeen.put(key, want.members());
                }
                if (want == null && have == null && sharedSeen.containsKey(key)) {
                    adoptions.add(key);
                } else if (want == null && have == null
                        || want != null && have != null && have.value.equals(want.value()) && have.lease == lease
                        || want != null && want.shared() && have == null && want.value().equals(others.get(key))) {
                    dirty.remove(key);
                } else if (want == null && have.members != null) {
                    releases.add(key);
                } else if (dryRun) {
                    applied(key, want, 0, counts, "dry-run ");
                } else {
                    calls.put(key, guarded(key, want == null ? null : want.value(), have, lease));
                }
            }
            for (Map.Entry<String, CompletableFuture<TxnResponse>> call : calls.entrySet()) {
                TxnResponse r = answer(call.getKey(), call.getValue());
                if (r != null) {
                    settle(call.getKey(), desired.entry(call.getKey()), r, counts);
                }
            }
            // shared keys go last, once this host's own members are gone
            for (String key : releases) {
                if (connected) {
                    release(key, owned.get(key), counts, false);
                }
            }
            for (String key : adoptions) {
                if (connected) {
                    adopt(key, counts);
                }
            }
        }
        return new Changes(counts[0], counts[1], dirty.size());
    }

    /** The answer of a call, or null (and etcd marked unreachable) when it fails or times out. */
    private TxnResponse answer(String key, CompletableFuture<TxnResponse> call) {
        if (!connected) {
            // one deadline per flush, not one per key
            call.cancel(true);
            return null;
        }
        try {
            return await(call);
        } catch (Exception e) {
            if (connected) {
                LOG.warn("etcd write failed key={}: {}; kept for retry", key, message(e));
            }
            markDown();
            return null;
        }
    }

    private void settle(String key, Entry want, TxnResponse r, int[] counts) {
        if (r.isSucceeded()) {
            applied(key, want, r.getHeader().getRevision(), counts, "");
            return;
        }
        List<KeyValue> current = r.getGetResponses().isEmpty() ? List.of() : r.getGetResponses().get(0).getKvs();
        if (current.isEmpty()) {
            owned.remove(key);
            others.remove(key);
            return;
        }
        KeyValue kv = current.get(0);
        String value = kv.getValue().toString(StandardCharsets.UTF_8);
        if (ours(kv.getLease())) {
            owned.put(key, new Owned(value, kv.getModRevision(), kv.getLease(), owned.containsKey(key) ? owned.get(key).members : null));
            return;
        }
        others.put(key, value);
        if (want != null && !want.shared() && !want.value().equals(value) && claim(key, value, kv, want)) {
            return; // stays dirty: the next round writes it over the seen revision
        }
        owned.remove(key);
        dirty.remove(key);
    }

    private void applied(String key, Entry want, long revision, int[] counts, String mode) {
        log(key, want == null ? null : want.value(), mode);
        if (want == null) {
            owned.remove(key);
            counts[1]++;
            if (!dryRun) {
                metrics.delete();
            }
        } else {
            owned.put(key, new Owned(want.value(), revision, lease, want.members()));
            others.remove(key);
            counts[0]++;
            if (!dryRun) {
                metrics.put();
            }
        }
        dirty.remove(key);
    }

    /**
     * A shared key this host holds but no longer needs: if members of other hosts remain, it
     * moves to the lease of one of them, so it lives exactly as long as they do; else it goes.
     *
     * @param leaving on a clean stop this host's own members are about to go with its lease
     */
    private void release(String key, Owned have, int[] counts, boolean leaving) {
        KeyValue heir = null;
        try {
            for (KeyValue kv : await(client.getKVClient().get(bytes(have.members), GetOption.builder().isPrefix(true).build())).getKvs()) {
                if (ours(kv.getLease())) {
                    if (leaving) {
                        continue;
                    }
                    return; // one of this host's own members is still there: try again later
                }
                if (heir == null || kv.getLease() != 0) {
                    heir = kv;
                }
            }
        } catch (Exception e) {
            LOG.warn("etcd read failed key={}: {}; kept for retry", have.members, message(e));
            markDown();
            return;
        }
        if (leaving && heir == null) {
            return; // the revoke removes it
        }
        if (dryRun) {
            applied(key, null, 0, counts, heir == null ? "dry-run " : "dry-run hand-over ");
            return;
        }
        TxnResponse r = answer(key, heir == null ? guarded(key, null, have, lease) : guarded(key, have.value, have, heir.getLease()));
        if (r != null && r.isSucceeded() && heir != null) {
            LOG.info("handed over key={} to lease={}", key, Long.toHexString(heir.getLease()));
            owned.remove(key);
            others.put(key, have.value);
            dirty.remove(key);
        } else if (r != null) {
            settle(key, null, r, counts);
        }
    }

    /** A shared key no longer wanted here and not known as held: release it if it was handed over to this host. */
    private void adopt(String key, int[] counts) {
        String members = sharedSeen.get(key);
        List<KeyValue> kvs;
        try {
            kvs = await(client.getKVClient().get(bytes(key))).getKvs();
        } catch (Exception e) {
            LOG.warn("etcd read failed key={}: {}; kept for retry", key, message(e));
            markDown();
            return;
        }
        if (kvs.isEmpty() || !ours(kvs.get(0).getLease())) {
            sharedSeen.remove(key);
            dirty.remove(key);
            return;
        }
        KeyValue kv = kvs.get(0);
        Owned handedOver = new Owned(kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision(), kv.getLease(), members);
        owned.put(key, handedOver);
        release(key, handedOver, counts, false);
        if (!owned.containsKey(key)) {
            sharedSeen.remove(key);
        }
    }

    /** Put or delete, only if the key still is what this host last saw; else read it back. */
    private CompletableFuture<TxnResponse> guarded(String key, String want, Owned have, long toLease) {
        ByteSequence k = bytes(key);
        Cmp unchanged = have == null
                ? new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(0))
                : new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(have.modRevision));
        Op write = want == null
                ? Op.delete(k, DeleteOption.DEFAULT)
                : Op.put(k, bytes(want), toLease == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(toLease).build());
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
        long started = System.nanoTime();
        try {
            return call.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new TimeoutException("no answer from etcd within " + timeoutMs + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        } finally {
            metrics.etcdCall(System.nanoTime() - started);
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
