package io.github.camelregistrator.etcd;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;

/**
 * Keys several hosts share, such as a vulcand backend or a Havok host: each names the prefix of
 * its members, and lives while any member remains there, on any host. The host that holds one
 * and no longer needs it hands it over to the lease of a host whose members remain, so it lives
 * exactly as long as they do; with no member left, it is deleted.
 */
final class SharedKeys {
    /** What a release did. */
    sealed interface Outcome {
    }

    /** Moved to another host's lease. */
    record HandedOver(long lease) implements Outcome {
    }

    /** The guarded write answered: success (deleted) or what the key holds now. */
    record Written(TxnResponse response) implements Outcome {
    }

    /** One of this host's own members is still there: try again later. */
    record Wait() implements Outcome {
    }

    /** Nothing to do: the lease's revoke removes it, or it is not this host's. */
    record Nothing() implements Outcome {
    }

    private final EtcdCalls etcd;
    private final Lease lease;
    /**
     * Shared keys this host has wanted, with their members' prefix: another host may hand one
     * over to this host's lease at any time, and it must then be released here in turn.
     */
    private final Map<String, String> seen = new HashMap<>();

    SharedKeys(EtcdCalls etcd, Lease lease) {
        this.etcd = etcd;
        this.lease = lease;
    }

    void wanted(String key, String members) {
        seen.put(key, members);
    }

    boolean seen(String key) {
        return seen.containsKey(key);
    }

    java.util.Set<String> keys() {
        return seen.keySet();
    }

    String members(String key) {
        return seen.get(key);
    }

    void forget(String key) {
        seen.remove(key);
    }

    /**
     * Releases a shared key this host holds at {@code modRevision} with {@code value}.
     *
     * @param leaving on a clean stop, this host's own members are about to go with its lease
     * @throws Exception when etcd does not answer or refuses
     */
    Outcome release(String key, String value, long modRevision, String members, boolean leaving) throws Exception {
        KeyValue heir = null;
        for (KeyValue kv : HostKeys.range(etcd, members)) {
            if (lease.ours(kv.getLease())) {
                if (leaving) {
                    continue;
                }
                return new Wait();
            }
            if (heir == null || kv.getLease() != 0) {
                heir = kv;
            }
        }
        if (leaving && heir == null) {
            return new Nothing();
        }
        long to = heir == null ? 0 : heir.getLease();
        // only while the heir's member is still there: a host that dropped it may have let the key go already
        TxnResponse r = etcd.await(heir == null ? etcd.guarded(key, null, modRevision, 0)
                : etcd.handOver(key, value, modRevision, EtcdCalls.string(heir.getKey()), heir.getModRevision(), to));
        return r.isSucceeded() && heir != null ? new HandedOver(to) : new Written(r);
    }

    /**
     * A shared key no longer wanted here and not known as held: whether another host handed it
     * over to this host's lease, and if so what it holds.
     */
    KeyValue handedOver(String key) throws Exception {
        List<KeyValue> kvs = etcd.get(key).getKvs();
        if (kvs.isEmpty() || !lease.ours(kvs.get(0).getLease())) {
            seen.remove(key);
            return null;
        }
        return kvs.get(0);
    }
}
