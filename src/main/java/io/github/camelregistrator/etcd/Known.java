package io.github.camelregistrator.etcd;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.etcd.jetcd.KeyValue;
import io.github.camelregistrator.etcd.Decision.Held;
import io.github.camelregistrator.etcd.Decision.Other;
import io.github.camelregistrator.layout.Entry;

/**
 * What this host knows of etcd at its own keys, as last read, written or watched: the keys it
 * owns (bound to its lease or its previous run's) and what others hold at keys it wants.
 * Not thread-safe: the {@link Registry} guards it.
 */
final class Known {
    /** A key this host holds; {@code members} is the members' prefix of a shared key. */
    record Owned(String value, long modRevision, long lease, String members) {
        Held held() {
            return new Held(value, modRevision, lease);
        }
    }

    private final Lease lease;
    private final DesiredState desired;
    private final SharedKeys shared;
    private final KeyRecord record;
    private final Map<String, Owned> owned = new HashMap<>();
    private final Map<String, Other> others = new HashMap<>();

    Known(Lease lease, DesiredState desired, SharedKeys shared, KeyRecord record) {
        this.lease = lease;
        this.record = record;
        this.desired = desired;
        this.shared = shared;
    }

    KeyRecord record() {
        return record;
    }

    /** This host wrote the key and has not deleted it, by its record. */
    boolean recorded(String key) {
        return record.names(key);
    }

    Owned owned(String key) {
        return owned.get(key);
    }

    Other other(String key) {
        return others.get(key);
    }

    Set<String> ownedKeys() {
        return owned.keySet();
    }

    Collection<Map.Entry<String, Owned>> ownedEntries() {
        return new ArrayList<>(owned.entrySet());
    }

    /** Records what etcd holds at a key: this host's, or someone else's. */
    void seen(String key, KeyValue kv) {
        String value = EtcdCalls.string(kv.getValue());
        if (lease.ours(kv.getLease())) {
            Owned known = owned.get(key);
            Entry want = desired.entry(key);
            String members = known != null && known.members() != null ? known.members()
                    : want != null && want.shared() ? want.members() : shared.members(key);
            owned.put(key, new Owned(value, kv.getModRevision(), kv.getLease(), members));
            others.remove(key);
        } else {
            owned.remove(key);
            others.put(key, new Other(value, kv.getModRevision(), kv.getLease()));
        }
    }

    void wrote(String key, Owned now) {
        owned.put(key, now);
        others.remove(key);
    }

    /** What someone else held before this host took the key over, if anyone. */
    Other took(String key) {
        return others.remove(key);
    }

    void handedOver(String key, Other now) {
        owned.remove(key);
        others.put(key, now);
    }

    void gone(String key) {
        owned.remove(key);
        others.remove(key);
    }

    /** Forgets the keys of a lost lease, or everything of a replaced etcd. */
    void clear(boolean othersToo) {
        owned.clear();
        record.stale();
        if (othersToo) {
            others.clear();
        }
    }

    /**
     * Reads afresh every key this host holds (bound to its leases, or believed held) or wants,
     * and forgets what it knew of any other key: nothing of other hosts stays in memory.
     *
     * @return the revision the keys were read at, from which their watches may resume
     */
    long read(EtcdCalls etcd, Set<String> wanted) throws Exception {
        record.readIfStale(etcd);
        Set<String> keys = new HashSet<>(wanted);
        keys.addAll(record.keys());
        keys.addAll(HostKeys.attached(etcd, lease.id()));
        keys.addAll(HostKeys.attached(etcd, lease.previous()));
        keys.addAll(owned.keySet());
        keys.remove(lease.hostKey()); // bound to the lease too, and kept by the lease itself
        HostKeys.Read read = HostKeys.read(etcd, keys);
        // seen over what was known, so a shared key keeps its members' prefix
        read.present().forEach(this::seen);
        owned.keySet().retainAll(read.present().keySet());
        others.keySet().retainAll(read.present().keySet());
        others.keySet().removeIf(k -> !wanted.contains(k) && !record.names(k));
        // recorded keys that are gone, or that another host's live lease took: no longer this host's to answer for
        Set<String> notOurs = new HashSet<>();
        for (String k : record.keys()) {
            Other other = others.get(k);
            if (!owned.containsKey(k) && (other == null || other.lease() != 0)) {
                notOurs.add(k);
            }
        }
        record.forget(etcd, notOurs);
        return read.revision();
    }

    /** Reads one key again. */
    void read(EtcdCalls etcd, String key) throws Exception {
        KeyValue kv = HostKeys.read(etcd, Set.of(key)).present().get(key);
        if (kv == null) {
            gone(key);
        } else {
            seen(key, kv);
        }
    }

    /** Where a watch of the key resumes: after the last change this host knows of, or from now (0). */
    long resumeAt(String key) {
        Owned o = owned.get(key);
        if (o != null && o.modRevision() > 0) {
            return o.modRevision() + 1;
        }
        Other other = others.get(key);
        return other != null && other.modRevision() > 0 ? other.modRevision() + 1 : 0;
    }

    /** Forgets another holder's key this host no longer wants. */
    void forgetOther(String key) {
        others.remove(key);
    }
}
