package io.github.camelregistrator.etcd;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;

/**
 * This host's record of the keys it wrote: one empty entry per key under
 * {@code <bookkeeping-prefix>keys/<host-id>}, bound to no lease, put and deleted in the same
 * transaction as the key itself. A lease tells which keys a run holds only while the key stays
 * on it; the record still names a key whose lease was taken off it (a hand edit, a copy that
 * drops leases) while the registrator was down, so the next run can remove it. Read at
 * start-up and on a new lease or etcd: O(this host's keys), like everything else it reads.
 */
final class KeyRecord {
    private final String prefix;
    private final Set<String> keys = new HashSet<>();
    private boolean read;

    /** @param prefix where the record lives, e.g. /registrator/keys/host-1 (none in dry-run: null) */
    KeyRecord(String prefix) {
        this.prefix = prefix;
    }

    boolean names(String key) {
        return keys.contains(key);
    }

    Set<String> keys() {
        return keys;
    }

    /** The operations that keep the record with a write of the key: a put names it, a delete drops it. */
    Op with(String key, boolean put) {
        var entry = EtcdCalls.bytes(prefix + key);
        return put ? Op.put(entry, EtcdCalls.bytes(""), PutOption.DEFAULT) : Op.delete(entry, DeleteOption.DEFAULT);
    }

    boolean enabled() {
        return prefix != null;
    }

    void wrote(String key, boolean put) {
        if (put) {
            keys.add(key);
        } else {
            keys.remove(key);
        }
    }

    /** etcd's content may differ from what was read (a new lease, a new etcd): read it again. */
    void stale() {
        read = false;
    }

    /** Reads the record once after it went stale, a page at a time. */
    void readIfStale(EtcdCalls etcd) throws Exception {
        if (read || prefix == null) {
            return;
        }
        keys.clear();
        for (KeyValue kv : HostKeys.range(etcd, prefix + "/")) {
            keys.add(EtcdCalls.string(kv.getKey()).substring(prefix.length()));
        }
        read = true;
    }

    /**
     * Drops the entries of keys that are gone, or that another host's live lease now holds:
     * this host no longer answers for them.
     */
    void forget(EtcdCalls etcd, Set<String> notOurs) throws Exception {
        List<String> gone = new ArrayList<>(notOurs);
        for (int from = 0; from < gone.size(); from += HostKeys.READS_PER_TXN) {
            Op[] deletes = gone.subList(from, Math.min(gone.size(), from + HostKeys.READS_PER_TXN)).stream()
                    .map(k -> with(k, false)).toArray(Op[]::new);
            etcd.await(etcd.client().getKVClient().txn().Then(deletes).commit());
        }
        keys.removeAll(notOurs);
    }

    /** On a clean stop: the lease's revoke removed every key, so the record goes too. */
    void clear(EtcdCalls etcd) throws Exception {
        if (prefix != null) {
            etcd.await(etcd.client().getKVClient().delete(EtcdCalls.bytes(prefix + "/"),
                    DeleteOption.builder().isPrefix(true).build()));
        }
        keys.clear();
    }
}
