package io.github.camelregistrator.etcd;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.github.camelregistrator.etcd.Decision.Held;
import io.github.camelregistrator.etcd.Decision.Other;
import io.github.camelregistrator.layout.Entry;

/**
 * What this host knows of etcd's content under the layouts' prefixes, as last read, written or
 * watched: the keys it owns (bound to its lease or its previous run's) and what others hold
 * at the rest. Not thread-safe: the {@link Registry} guards it.
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
    private final Map<String, Owned> owned = new HashMap<>();
    private final Map<String, Other> others = new HashMap<>();

    Known(Lease lease, DesiredState desired, SharedKeys shared) {
        this.lease = lease;
        this.desired = desired;
        this.shared = shared;
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
        if (othersToo) {
            others.clear();
        }
    }

    /** Reads every prefix afresh. */
    void read(EtcdCalls etcd, List<String> prefixes) throws Exception {
        List<CompletableFuture<GetResponse>> reads = new ArrayList<>();
        for (String prefix : prefixes) {
            reads.add(etcd.getPrefix(prefix + "/"));
        }
        List<KeyValue> kvs = new ArrayList<>();
        for (CompletableFuture<GetResponse> read : reads) {
            kvs.addAll(etcd.await(read).getKvs());
        }
        // seen over what was known, so a shared key keeps its members' prefix
        Set<String> present = new java.util.HashSet<>();
        for (KeyValue kv : kvs) {
            String key = EtcdCalls.string(kv.getKey());
            present.add(key);
            seen(key, kv);
        }
        owned.keySet().retainAll(present);
        others.keySet().retainAll(present);
    }
}
