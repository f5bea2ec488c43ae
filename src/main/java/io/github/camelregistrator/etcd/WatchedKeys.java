package io.github.camelregistrator.etcd;

import java.util.HashSet;
import java.util.Set;

/**
 * Which keys this host watches: exactly those it holds or wants (and its host record), so that
 * what etcd sends it follows its own keys. A key starts to be watched from the revision after
 * the last change this host knows of, and stops once nothing here holds or wants it. Not
 * thread-safe: the {@link Registry} guards it.
 */
final class WatchedKeys {
    private final KeyWatch watch;
    private final DesiredState desired;
    private final Known known;
    private final SharedKeys shared;
    private final String hostKey;

    WatchedKeys(KeyWatch watch, DesiredState desired, Known known, SharedKeys shared, String hostKey) {
        this.watch = watch;
        this.desired = desired;
        this.known = known;
        this.shared = shared;
        this.hostKey = hostKey;
        watch.watch(hostKey, 0);
    }

    /** After a delivery: each key it decided is watched while held or wanted, and forgotten otherwise. */
    void touched(Set<String> keys) {
        for (String key : keys) {
            if (desired.entry(key) != null || known.owned(key) != null || shared.seen(key)) {
                watch.watch(key, known.resumeAt(key));
            } else {
                watch.unwatch(key);
                known.forgetOther(key);
            }
        }
    }

    /** After a full read at {@code revision}: exactly the keys held or wanted, the new ones from that read. */
    void onlyThese(long revision) {
        Set<String> keys = wanted();
        keys.addAll(known.ownedKeys());
        keys.add(hostKey);
        watch.watchOnly(keys, revision == 0 ? 0 : revision + 1);
    }

    /** Every key this host wants, or may have to release, besides those its leases hold. */
    Set<String> wanted() {
        Set<String> keys = new HashSet<>(desired.keys());
        keys.addAll(shared.keys());
        return keys;
    }
}
