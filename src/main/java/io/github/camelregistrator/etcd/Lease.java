package io.github.camelregistrator.etcd;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.camelregistrator.health.Fault;
import io.github.camelregistrator.health.Metrics;
import io.github.camelregistrator.queue.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's lease and its record under the bookkeeping prefix: granted at start, kept alive
 * at a third of the TTL, granted anew when lost, and revoked on a clean stop. Its thread is also
 * the probe that tells when etcd answers again: while etcd does not, it tries four times a second.
 */
final class Lease {
    private static final Logger LOG = LoggerFactory.getLogger("registrator");
    /** How often a lost connection is retried, whatever the TTL. */
    static final long RECONNECT_MS = 250;

    /** What the registry does when the lease or etcd's reachability changes. */
    interface Listener {
        /** A new lease: every desired key must be written under it. */
        void granted(long lease);

        /** etcd answers again after failing; {@code afterOutage} when the keep-alive itself had failed. */
        void reachable(boolean afterOutage);
    }

    private final EtcdCalls etcd;
    private final HostRecord record;
    private final long ttl;
    private final boolean dryRun;
    private final Metrics metrics;
    private final Fault unreachable = new Fault("etcd unreachable");
    private final Fault refused;
    private final Listener listener;
    private ScheduledExecutorService thread;
    private java.util.concurrent.ScheduledFuture<?> next;
    private volatile long lease;
    private volatile long previous;
    private volatile boolean connected;
    private volatile boolean stopped;
    private volatile boolean establishedOnce;
    private volatile boolean outage;
    private volatile boolean warnedBackoff;

    Lease(EtcdCalls etcd, String hostKey, long ttlSeconds, boolean dryRun, Metrics metrics, Fault refused, Listener listener) {
        this.etcd = etcd;
        this.record = new HostRecord(etcd, hostKey, ttlSeconds);
        this.ttl = ttlSeconds;
        this.dryRun = dryRun;
        this.metrics = metrics;
        this.refused = refused;
        this.listener = listener;
    }

    long id() {
        return lease;
    }

    String hostKey() {
        return record.key();
    }

    /** The lease of this host's previous run, until the first full pass has taken its keys over. */
    long previous() {
        return previous;
    }

    /** etcd answers and this run holds its lease: writes may go out. */
    boolean connected() {
        return connected && !stopped;
    }

    /** Why etcd is not reachable, or null. */
    String unreachableReason() {
        return unreachable.reason();
    }

    /** Why etcd refuses the lease or the host record, or null. */
    String refusedReason() {
        return refused.reason();
    }

    /** Bound to this run's lease or the previous run's. */
    boolean ours(long kvLease) {
        return kvLease != 0 && (kvLease == lease || kvLease == previous);
    }

    void start() {
        thread = Threads.scheduler("registrator-lease");
        scheduleTick(0);
    }

    long keepAlivePeriodMs() {
        return Math.max(500, ttl * 1000 / 3);
    }

    private void tickAndReschedule() {
        tick();
        scheduleTick(connected ? keepAlivePeriodMs() : Math.min(RECONNECT_MS, keepAlivePeriodMs()));
    }

    /** One chain of ticks: a tick wanted sooner replaces the one pending, so probing starts at once. */
    private synchronized void scheduleTick(long delayMs) {
        if (next != null) {
            next.cancel(false);
        }
        try {
            next = thread.schedule(this::tickAndReschedule, delayMs, TimeUnit.MILLISECONDS);
        } catch (RuntimeException stopping) {
            // not started, or stop() shut the thread down
        }
    }

    /** The connection may be back (the watch stream reopened): probe now rather than at the next tick. */
    void probeNow() {
        if (!connected) {
            scheduleTick(0);
        }
    }

    /**
     * gRPC's channel changed state: a channel that failed means etcd is gone now, and one that is
     * ready again is probed at once, so neither waits for the next keep-alive or probe.
     */
    void channelState(io.grpc.ConnectivityState state) {
        switch (state) {
            case TRANSIENT_FAILURE -> markDown();
            case READY -> probeNow();
            default -> {
            }
        }
    }

    /** A call failed for want of an answer: probe at once rather than at the end of the keep-alive period. */
    void markDown() {
        if (connected) {
            connected = false;
            scheduleTick(0);
        }
    }

    /**
     * The host record changed or vanished. Deleted, it is written again at once; naming another
     * live lease, another registrator runs with this host-id, and the two must not fight over it.
     */
    void recordChanged(boolean deleted) {
        if (!dryRun && lease != 0 && deleted) {
            runSoon(() -> record.restore(lease));
        } else if (!deleted) {
            runSoon(() -> record.checkOwner(lease));
        }
    }

    private void runSoon(Runnable r) {
        try {
            thread.execute(r);
        } catch (RuntimeException notRunning) {
            // not started, or stopping
        }
    }

    void tick() {
        if (!connected && !EtcdClients.resetConnectBackoff(etcd.client()) && !warnedBackoff) {
            warnedBackoff = true;
            LOG.warn("this jetcd hides its gRPC channel: after a long outage, reconnecting may take up to 2 min");
        }
        try {
            if (lease == 0 && (!dryRun || !establishedOnce)) {
                establish();
            } else if (!dryRun) {
                if (etcd.keepAliveOnce(lease) <= 0) {
                    answered();
                    lost();
                    return;
                }
            } else {
                record.read();
            }
            answered();
            refused.cleared();
            if (!connected) {
                connected = true;
                LOG.info("etcd reachable again; reconciling");
                listener.reachable(false);
            }
        } catch (Exception e) {
            switch (EtcdCalls.failure(e)) {
                case LEASE_NOT_FOUND -> {
                    answered();
                    lost();
                }
                case REFUSED -> {
                    // etcd is up and says no (a role without the bookkeeping prefix, NOSPACE): not an outage
                    answered();
                    refused.occurred(EtcdCalls.message(e));
                    metrics.refused();
                }
                default -> {
                    metrics.keepAliveFailed();
                    outage = true;
                    connected = false;
                    unreachable.occurred(EtcdCalls.message(e));
                }
            }
        }
    }

    private void answered() {
        unreachable.cleared();
        if (outage) {
            outage = false;
            connected = true;
            listener.reachable(true);
        }
    }

    private void establish() throws Exception {
        long before = record.read();
        if (dryRun) {
            previous = before;
            LOG.info("dry-run: writing nothing; previous lease of this host={}", Long.toHexString(before));
        } else {
            long granted = etcd.grant(ttl);
            record.write(granted);
            if (before != granted && before != 0 && previous == 0 && !establishedOnce) {
                previous = before;
            }
            lease = granted;
            LOG.info("lease granted lease={} ttl={}s{}", Long.toHexString(granted), ttl,
                    previous != 0 ? " previous-lease=" + Long.toHexString(previous) : "");
        }
        establishedOnce = true;
        connected = true;
        listener.granted(lease);
    }

    private void lost() {
        LOG.warn("lease lost lease={}; granting a new one and writing every key again", Long.toHexString(lease));
        lease = 0;
        connected = false;
        try {
            establish();
        } catch (Exception e) {
            LOG.warn("new lease not granted yet: {}", EtcdCalls.message(e));
        }
    }

    /**
     * Revokes the lease: this run's keys vanish at once instead of at the end of the TTL.
     *
     * @return whether it was revoked
     */
    boolean stop() {
        // from here on nothing is written: a write now would carry no lease and outlive this run
        stopped = true;
        if (thread != null) {
            thread.shutdownNow();
        }
        long current = lease;
        if (current != 0 && !dryRun) {
            try {
                etcd.revoke(current);
                LOG.info("lease revoked lease={} keys removed", Long.toHexString(current));
                lease = 0;
                return true;
            } catch (Exception e) {
                LOG.warn("lease revoke failed lease={}: {}; keys expire within {} s", Long.toHexString(current),
                        EtcdCalls.message(e), ttl);
            }
        }
        lease = 0;
        return false;
    }

    /** Revokes the previous run's lease once its keys were taken over; what it still holds is stale. */
    void revokePrevious() {
        long p = previous;
        previous = 0;
        if (p == 0 || dryRun) {
            return;
        }
        try {
            etcd.revoke(p);
            LOG.info("previous lease revoked lease={}", Long.toHexString(p));
        } catch (Exception e) {
            // it expires on its own
            LOG.info("previous lease already gone lease={} ({})", Long.toHexString(p), EtcdCalls.message(e));
        }
    }
}
