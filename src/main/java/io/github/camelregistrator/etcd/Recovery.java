package io.github.camelregistrator.etcd;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the registry does when etcd changes under it: a new lease, etcd answering again, a new
 * etcd, the watch stream lost or back, a watch whose history was compacted away. Each makes
 * sure that whatever etcd may have lost or changed is read and delivered again.
 */
final class Recovery implements Lease.Listener, KeyWatch.Listener {
    private static final Logger LOG = LoggerFactory.getLogger("registrator");
    private final Registry r;

    Recovery(Registry registry) {
        this.r = registry;
    }

    /** A new lease: every desired key must be written under it; the full pass reads what remains. */
    @Override
    public void granted(long newLease) {
        writeAllAgain(false);
    }

    @Override
    public void reachable(boolean afterOutage) {
        r.delivery.retryAllNow();
        r.deliverDue();
        r.resync.run();
    }

    @Override
    public void replaced(String how) {
        LOG.warn("etcd replaced: {}; re-reading it and writing every key again", how);
        // watching from now first, re-reading second: nothing in between is missed
        r.watch.restartFromNow();
        writeAllAgain(true);
    }

    /**
     * What this host knew of etcd no longer holds: every desired key is queued, and a full pass
     * reads what remains.
     *
     * @param othersToo a new etcd: other holders' keys are forgotten too, not only this host's
     */
    private void writeAllAgain(boolean othersToo) {
        synchronized (r.lock) {
            r.known.clear(othersToo);
            r.delivery.enqueue(r.desired.keys());
        }
        r.resync.run();
    }

    /** The key's history is gone: read it as it is now, and deliver what differs. */
    @Override
    public void compacted(String key) {
        synchronized (r.lock) {
            try {
                r.known.read(r.etcd, key);
            } catch (Exception e) {
                LOG.debug("key={} not read again yet: {}", key, EtcdCalls.message(e));
            }
            r.delivery.enqueue(java.util.Set.of(key));
            r.flushIfConnected();
        }
    }

    @Override
    public void lost(String why) {
        LOG.debug("etcd watch stream lost: {}", why);
        r.lease.markDown();
    }

    @Override
    public void reopened() {
        r.lease.probeNow();
    }
}
