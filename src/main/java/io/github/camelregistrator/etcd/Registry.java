package io.github.camelregistrator.etcd;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.camelregistrator.etcd.Known.Owned;
import io.github.camelregistrator.health.Fault;
import io.github.camelregistrator.health.Metrics;
import io.github.camelregistrator.layout.Entry;
import io.github.camelregistrator.queue.Threads;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's side of etcd, as a controller: the desired entries of every container
 * ({@link DesiredState}), what etcd holds ({@link Known}), one work queue of etcd keys and its
 * sync handler ({@link Delivery}), and the lease ({@link Lease}). A key is queued whenever its
 * desired value or its content in etcd may have changed: a container sync, a full pass, a watch
 * event, a new lease, a new etcd.
 */
public class Registry extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger("registrator");

    /** A key etcd has not taken yet: its last error (null when none yet) and when it is tried next. */
    public record Waiting(String error, long retryInMs) {
    }

    /** What a delivery changed, and how many keys still wait. */
    public record Changes(int puts, int deletes, int pending) {
    }

    final EtcdCalls etcd;
    final Lease lease;
    private final Metrics metrics;
    private final String hostKey;
    private final boolean dryRun;
    private final AtomicLong stamps = new AtomicLong();
    volatile Runnable resync = () -> {
    };
    private volatile java.util.function.Consumer<String> repaired = key -> {
    };

    final Object lock = new Object();
    final DesiredState desired = new DesiredState(msg -> LOG.warn("conflict {}", msg));
    private final SharedKeys shared;
    final Known known;
    final Delivery delivery;
    final KeyWatch watch;
    private final WatchedKeys watched;
    private ScheduledExecutorService timer;

    /**
     * @param hostKey   bookkeeping key that records this host's lease
     * @param recordKey bookkeeping prefix of this host's record of the keys it wrote
     */
    public Registry(Client client, String hostKey, String recordKey, long ttlSeconds, long timeoutMs, boolean dryRun,
                    Metrics metrics) {
        this.etcd = new EtcdCalls(client, timeoutMs, metrics);
        this.metrics = metrics;
        this.hostKey = hostKey;
        this.dryRun = dryRun;
        Recovery recovery = new Recovery(this);
        this.lease = new Lease(etcd, hostKey, ttlSeconds, dryRun, metrics, new Fault("etcd refuses writes"), recovery);
        this.shared = new SharedKeys(etcd, lease);
        this.known = new Known(lease, desired, shared, new KeyRecord(dryRun ? null : recordKey));
        this.delivery = new Delivery(etcd, lease, shared, desired, known, metrics, dryRun);
        try {
            this.watch = new KeyWatch(EtcdClients.watchStub(client), () -> EtcdClients.resetConnectBackoff(client),
                    recovery);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this jetcd hides its watch stub: " + e, e);
        }
        this.watched = new WatchedKeys(watch, desired, known, shared, hostKey);
        etcd.onReplaced(recovery::replaced);
        EtcdClients.onStateChange(client, lease::channelState);
    }

    /** The watch of this host's keys, for the etcd-keys: route source (routes/watch.yaml). */
    public KeyWatch keyWatch() {
        return watch;
    }

    /** Called whenever etcd's content may have drifted: after a (re)connect, a new lease, a new etcd. */
    public void onResyncNeeded(Runnable resync) {
        this.resync = resync;
    }

    /** Told of each key a watch event queued again, for /observe/registrations. */
    public void onRepair(java.util.function.Consumer<String> repaired) {
        this.repaired = repaired;
    }

    /** Why the key waits, or null when etcd took it (or it was never queued). */
    public Waiting waiting(String key) {
        synchronized (lock) {
            return delivery.waiting(key);
        }
    }

    /** The client, for read-only views of what etcd holds. */
    public Client client() {
        return etcd.client();
    }

    /** A new stamp, taken before an inspect or a container list, ordering what they found. */
    public long stamp() {
        return stamps.incrementAndGet();
    }

    public boolean isConnected() {
        return lease.connected();
    }

    public long lease() {
        return lease.id();
    }

    /** Why etcd does not take this host's writes (unreachable, refusing), for readiness; null when it does. */
    public String fault() {
        String down = lease.unreachableReason();
        if (down != null) {
            return down;
        }
        String refused = delivery.refusal();
        return refused != null ? refused : lease.refusedReason();
    }

    @Override
    protected void doStart() {
        timer = Threads.scheduler("registrator-delivery");
        delivery.start(timer, this::deliverDue);
        lease.start();
    }

    @Override
    protected void doStop() {
        // the revoke's own deletes must not come back through the watch as keys to restore
        watch.shutdown();
        boolean revoked;
        synchronized (lock) {
            if (lease.id() != 0 && !dryRun && lease.connected()) {
                // shared keys still needed by other hosts must outlive this lease
                for (Map.Entry<String, Owned> e : known.ownedEntries()) {
                    if (e.getValue().members() != null) {
                        delivery.release(e.getKey(), e.getValue(), true, new int[2]);
                    }
                }
            }
            // under the lock: no delivery runs between the last release and the revoke, nor after it
            revoked = lease.stop();
        }
        if (revoked) {
            try {
                known.record().clear(etcd);
            } catch (Exception e) {
                LOG.debug("record of this host's keys not cleared: {}", EtcdCalls.message(e));
            }
        }
        delivery.stop();
        if (timer != null) {
            timer.shutdownNow();
        }
        etcd.client().close();
    }

    /**
     * Records one container's entries (empty when it is gone) and delivers the difference.
     * While etcd is unreachable the change waits in the queue, coalesced per key.
     *
     * @param entries null when the container keeps what it registered before
     * @return what changed, or null when nothing was to change
     */
    public Changes apply(@Header("CamelDockerContainerId") String containerId, @Header("RegistratorStamp") Long stamp,
                         @Body List<Entry> entries) {
        if (entries == null) {
            return null;
        }
        synchronized (lock) {
            delivery.enqueue(desired.put(containerId, stamp == null ? stamp() : stamp, entries));
            return lease.connected() ? flush() : new Changes(0, 0, delivery.pending());
        }
    }

    /**
     * Replaces the desired state with a full snapshot, re-reads the keys this host holds or
     * wants (never a whole prefix), delivers every difference, then revokes the previous run's
     * lease.
     */
    public Changes reconcile(long stamp, Map<String, List<Entry>> snapshot) throws Exception {
        synchronized (lock) {
            delivery.enqueue(desired.replaceAll(stamp, snapshot));
            if (lease.id() == 0 && !dryRun) {
                return new Changes(0, 0, delivery.pending());
            }
            long revision;
            try {
                revision = known.read(etcd, watched.wanted());
            } catch (Exception e) {
                if (EtcdCalls.failure(e) == EtcdCalls.Failure.UNREACHABLE) {
                    lease.markDown(); // probe now, with gRPC's reconnect backoff reset
                }
                throw e;
            }
            delivery.enqueue(known.ownedKeys());
            delivery.enqueue(known.record().keys());
            watched.onlyThese(revision);
            Changes changes = flush();
            if (changes.pending() == 0 && lease.previous() != 0) {
                lease.revokePrevious();
            }
            return changes;
        }
    }

    /**
     * A change under the layouts' prefixes or to the host record (routes/watch.yaml). This
     * host's own writes come back too and are recognised by their revision.
     */
    public void repair(WatchEvent event) {
        if (dryRun) {
            return;
        }
        KeyValue kv = event.getKeyValue();
        String key = EtcdCalls.string(kv.getKey());
        if (key.equals(hostKey)) {
            lease.recordChanged(event.getEventType() == WatchEvent.EventType.DELETE);
            return;
        }
        synchronized (lock) {
            if (echo(key, kv)) {
                return;
            }
            if (event.getEventType() == WatchEvent.EventType.DELETE) {
                known.gone(key);
            } else {
                known.seen(key, kv);
            }
            delivery.enqueue(Set.of(key));
            flushIfConnected();
        }
        repaired.accept(key);
    }

    /**
     * Whether a watch event is this host's own write coming back, or concerns a key it neither
     * holds nor wants: nothing to repair, so the watch hands it to no route (routes/watch.yaml).
     */
    public boolean echo(WatchEvent event) {
        if (dryRun) {
            return true;
        }
        KeyValue kv = event.getKeyValue();
        String key = EtcdCalls.string(kv.getKey());
        if (key.equals(hostKey)) {
            return false;
        }
        // under the lock: a write's answer and its echo may race, and the answer records the revision
        synchronized (lock) {
            return echo(key, kv);
        }
    }

    private boolean echo(String key, KeyValue kv) {
        Owned have = known.owned(key);
        return have != null && have.modRevision() == kv.getModRevision()
                || have == null && desired.entry(key) == null && !shared.seen(key);
    }

    /** Timer thread: a key's backoff ran out. */
    void deliverDue() {
        synchronized (lock) {
            flushIfConnected();
        }
    }

    void flushIfConnected() {
        if (lease.connected()) {
            flush();
        }
    }

    /** Delivers what is due, then watches each key it touched while this host holds or wants it. */
    private Changes flush() {
        Changes changes = delivery.flush();
        watched.touched(delivery.takeTouched());
        return changes;
    }

    /** Owners with entries in the desired state, of those the predicate takes. */
    public int owners(java.util.function.Predicate<String> which) {
        synchronized (lock) {
            return desired.owners(which);
        }
    }

    /** Keys whose change etcd has not taken yet: at most one per key, however many events came. */
    public int pending() {
        return delivery.pending();
    }

    /** Test and log view: the keys this host believes it owns. */
    public Set<String> ownedKeys() {
        synchronized (lock) {
            return new HashSet<>(known.ownedKeys());
        }
    }
}
