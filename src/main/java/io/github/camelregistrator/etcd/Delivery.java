package io.github.camelregistrator.etcd;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.github.camelregistrator.etcd.Decision.Other;
import io.github.camelregistrator.etcd.EtcdCalls.Write;
import io.github.camelregistrator.etcd.Known.Owned;
import io.github.camelregistrator.health.Fault;
import io.github.camelregistrator.health.Metrics;
import io.github.camelregistrator.layout.Entry;
import io.github.camelregistrator.queue.Backoff;
import io.github.camelregistrator.queue.WorkQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync handler of the etcd work queue: each key taken is decided ({@link Decision}) from
 * what this host wants and what etcd holds, and written in a guarded transaction; a key the
 * write found changed is decided again; a key etcd refuses goes back with its own backoff
 * (100 ms doubling to 10 s), and an unreachable etcd keeps every key until it answers.
 * Not thread-safe: the {@link Registry} guards it.
 */
final class Delivery {
    private static final Logger LOG = LoggerFactory.getLogger("registrator");
    private static final int ROUNDS = 3;
    /** A refusal lifted (a role granted, an alarm disarmed) is noticed within this. */
    static final long MAX_BACKOFF_MS = 10_000;

    private final EtcdCalls etcd;
    private final Lease lease;
    private final SharedKeys shared;
    private final DesiredState desired;
    private final Known known;
    private final Metrics metrics;
    private final boolean dryRun;
    private final Fault refused = new Fault("etcd refuses writes");
    private final Set<String> refusedKeys = new HashSet<>();
    /** Keys left to another host's smaller value, so the warning is said once per value. */
    private final Map<String, String> yielded = new HashMap<>();
    /** Why each key still waits, for /observe/registrations; a key leaves it when etcd takes it. */
    private final Map<String, String> errors = new HashMap<>();
    private WorkQueue<Object> queue = new WorkQueue<>();
    /** Keys decided since the registry last asked: their watches may have to start or end. */
    private Set<String> touched = new HashSet<>();

    Delivery(EtcdCalls etcd, Lease lease, SharedKeys shared, DesiredState desired, Known known, Metrics metrics,
             boolean dryRun) {
        this.etcd = etcd;
        this.lease = lease;
        this.shared = shared;
        this.desired = desired;
        this.known = known;
        this.metrics = metrics;
        this.dryRun = dryRun;
    }

    /** @param onReady told, on the timer's thread, when a key's backoff ran out */
    void start(ScheduledExecutorService timer, Runnable onReady) {
        queue = new WorkQueue<>(new Backoff(100, MAX_BACKOFF_MS), timer, onReady);
    }

    void stop() {
        queue.close();
    }

    void enqueue(Collection<String> keys) {
        for (String key : keys) {
            queue.add(key, Boolean.TRUE);
        }
    }

    /** etcd answers again: what waits out a backoff is tried now. */
    void retryAllNow() {
        queue.retryAllNow();
    }

    int pending() {
        return queue.size();
    }

    Set<String> takeTouched() {
        Set<String> out = touched;
        touched = new HashSet<>();
        return out;
    }

    String refusal() {
        return refused.reason();
    }

    /** The key's last error and when it is tried next; null when it is not waiting. */
    Registry.Waiting waiting(String key) {
        long in = queue.retryInMs(key);
        return in < 0 ? null : new Registry.Waiting(errors.get(key), in);
    }

    /** Takes every ready key from the queue, decides it, and writes what differs. */
    Registry.Changes flush() {
        int[] counts = new int[2];
        // a write without this run's lease would carry none, and outlive every container
        for (int round = 0; round < ROUNDS && lease.connected() && (dryRun || lease.id() != 0); round++) {
            List<Map.Entry<String, Object>> batch = queue.drain();
            if (batch.isEmpty()) {
                break;
            }
            batch.forEach(item -> touched.add(item.getKey()));
            try {
                round(batch, counts);
            } finally {
                batch.forEach(item -> queue.done(item.getKey()));
            }
        }
        // still unsettled after the rounds (another writer keeps changing them): try again after a backoff
        for (Map.Entry<String, Object> item : lease.connected() ? queue.drain() : List.<Map.Entry<String, Object>>of()) {
            queue.done(item.getKey());
            queue.addRateLimited(item.getKey(), Boolean.TRUE);
        }
        return new Registry.Changes(counts[0], counts[1], queue.size());
    }

    private void round(List<Map.Entry<String, Object>> batch, int[] counts) {
        List<Write> writes = new ArrayList<>();
        List<String> later = new ArrayList<>();
        for (Map.Entry<String, Object> item : batch) {
            String key = item.getKey();
            Entry want = desired.entry(key);
            if (want != null && want.shared()) {
                shared.wanted(key, want.members());
            }
            Owned have = known.owned(key);
            Decision d = Decision.decide(want, have == null ? null : have.held(), known.other(key), lease.id(),
                    shared.seen(key), have == null ? null : have.members(), known.recorded(key));
            switch (d.action()) {
                case LEAVE -> {
                    yieldWarning(key, want);
                    succeeded(key);
                }
                case RELEASE, ADOPT -> later.add(key);
                default -> {
                    if (dryRun) {
                        applied(key, want, 0, counts, "dry-run ");
                    } else {
                        writes.add(new Write(key, d.action() == Decision.Action.PUT ? want.value() : null, d.guardRev()));
                    }
                }
            }
        }
        // one transaction per batch of keys: one round trip and one fsync instead of one per key
        Map<List<Write>, CompletableFuture<TxnResponse>> calls = new LinkedHashMap<>();
        for (List<Write> chunk : Batches.of(writes)) {
            calls.put(chunk, etcd.guarded(chunk, lease.id(), known.record()));
        }
        boolean raced = false;
        for (Map.Entry<List<Write>, CompletableFuture<TxnResponse>> call : calls.entrySet()) {
            List<Write> chunk = call.getKey();
            try {
                TxnResponse r = etcd.await(call.getValue());
                raced |= !r.isSucceeded();
                settle(chunk, r, counts);
            } catch (Exception e) {
                if (chunk.size() > 1 && EtcdCalls.failure(e) == EtcdCalls.Failure.REFUSED) {
                    // a role may allow some of these keys and not others: each on its own, so the allowed go through
                    chunk.forEach(w -> writeAlone(w, counts));
                } else {
                    chunk.forEach(w -> failed(w.key(), e));
                }
            }
        }
        // shared keys go last, once this host's own members are gone: when a write lost a race, its
        // keys are decided again next round, and a member it meant to delete may still be there
        if (raced) {
            later.forEach(key -> queue.add(key, Boolean.TRUE));
            return;
        }
        for (String key : later) {
            Owned have = known.owned(key);
            if (have != null) {
                release(key, have, false, counts);
            } else {
                adopt(key, counts);
            }
        }
    }

    private void writeAlone(Write w, int[] counts) {
        try {
            settle(List.of(w), etcd.await(etcd.guarded(List.of(w), lease.id(), known.record())), counts);
        } catch (Exception e) {
            failed(w.key(), e);
        }
    }

    private void settle(List<Write> chunk, TxnResponse r, int[] counts) {
        for (int i = 0; i < chunk.size(); i++) {
            String key = chunk.get(i).key();
            if (r.isSucceeded()) {
                applied(key, desired.entry(key), r.getHeader().getRevision(), counts, "");
                continue;
            }
            // some key was written meanwhile: decide each again with what it holds now
            List<KeyValue> current = r.getGetResponses().size() > i ? r.getGetResponses().get(i).getKvs() : List.of();
            if (current.isEmpty()) {
                known.gone(key);
            } else {
                known.seen(key, current.get(0));
            }
            queue.add(key, Boolean.TRUE);
        }
    }

    private void settle(String key, TxnResponse r, int[] counts) {
        settle(List.of(new Write(key, null, 0)), r, counts);
    }

    private void failed(String key, Exception e) {
        errors.put(key, EtcdCalls.message(e));
        if (EtcdCalls.failure(e) == EtcdCalls.Failure.REFUSED) {
            metrics.refused();
            refusedKeys.add(key);
            refused.occurred(EtcdCalls.message(e) + " (" + refusedKeys.size() + " keys waiting, e.g. " + key + ")");
            queue.addRateLimited(key, Boolean.TRUE);
            return;
        }
        // unreachable, or the lease is gone: the lease thread finds out, and the queue waits for it
        if (lease.connected()) {
            LOG.warn("etcd write failed key={}: {}; kept for retry", key, EtcdCalls.message(e));
        }
        queue.add(key, Boolean.TRUE);
        lease.markDown();
    }

    private void succeeded(String key) {
        queue.forget(key);
        errors.remove(key);
        if (refusedKeys.remove(key)) {
            if (refusedKeys.isEmpty()) {
                refused.cleared();
            } else {
                // etcd takes writes again: the other refused keys need not wait out their backoff
                queue.retryAllNow();
            }
        }
    }

    private void yieldWarning(String key, Entry want) {
        Other other = known.other(key);
        if (want == null || want.shared() || other == null || other.lease() == 0 || other.value().equals(want.value())) {
            yielded.remove(key);
        } else if (!other.value().equals(yielded.put(key, other.value()))) {
            LOG.warn("conflict key={}: another host's lease={} holds value={}, smaller than this host's {}; keeping theirs",
                    key, Long.toHexString(other.lease()), other.value(), want.value());
        }
    }

    private void applied(String key, Entry want, long revision, int[] counts, String mode) {
        if (want == null) {
            LOG.info("{}delete key={}", mode, key);
            known.gone(key);
            counts[1]++;
            if (!dryRun) {
                metrics.delete();
            }
        } else {
            LOG.info("{}put key={} value={}", mode, key, want.value());
            Other was = known.took(key);
            if (was != null) {
                LOG.warn("restored key={}: it held value={} under lease={}", key, was.value(), Long.toHexString(was.lease()));
            }
            known.wrote(key, new Owned(want.value(), revision, lease.id(), want.members()));
            counts[0]++;
            if (!dryRun) {
                metrics.put();
            }
        }
        if (!dryRun) {
            known.record().wrote(key, want != null);
        }
        succeeded(key);
    }

    /** @param leaving on a clean stop: this host's own members are about to go with its lease */
    void release(String key, Owned have, boolean leaving, int[] counts) {
        if (dryRun) {
            applied(key, null, 0, counts, "dry-run ");
            return;
        }
        try {
            SharedKeys.Outcome outcome = shared.release(key, have.value(), have.modRevision(), have.members(), leaving);
            if (outcome instanceof SharedKeys.HandedOver h) {
                LOG.info("handed over key={} to lease={}", key, Long.toHexString(h.lease()));
                known.handedOver(key, new Other(have.value(), 0, h.lease()));
                succeeded(key);
            } else if (outcome instanceof SharedKeys.Written w) {
                settle(key, w.response(), counts);
            } else if (outcome instanceof SharedKeys.Wait) {
                queue.addRateLimited(key, Boolean.TRUE);
            }
        } catch (Exception e) {
            failed(key, e);
        }
    }

    private void adopt(String key, int[] counts) {
        try {
            KeyValue kv = shared.handedOver(key);
            if (kv == null) {
                succeeded(key);
                return;
            }
            Owned handedOver = new Owned(EtcdCalls.string(kv.getValue()), kv.getModRevision(), kv.getLease(),
                    shared.members(key));
            known.wrote(key, handedOver);
            release(key, handedOver, false, counts);
            if (known.owned(key) == null) {
                shared.forget(key);
            }
        } catch (Exception e) {
            failed(key, e);
        }
    }
}
