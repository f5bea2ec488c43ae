package io.github.camelregistrator.etcd;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;

/**
 * How a host learns what it holds, at a cost that follows its own keys and never the fleet's:
 * the keys bound to its leases come from etcd's LeaseTimeToLive with attached keys, and values
 * and revisions from point reads, {@value #READS_PER_TXN} to a transaction (etcd allows 128
 * operations in one). No layout prefix is read as a whole: other hosts' keys share it.
 */
final class HostKeys {
    /** Reads in one transaction: under etcd's --max-txn-ops (128), and 64 values of 64 KiB fit one answer. */
    static final int READS_PER_TXN = 64;
    /** A range that must still be read (a shared key's members) is read in pages of this many keys. */
    static final int PAGE = 500;

    /** What the point reads found: the keys present, and the lowest revision they were read at. */
    record Read(Map<String, KeyValue> present, long revision) {
    }

    private HostKeys() {
    }

    /** The keys bound to a lease; none when etcd no longer knows the lease. */
    static Set<String> attached(EtcdCalls etcd, long lease) throws Exception {
        if (lease == 0) {
            return Set.of();
        }
        LeaseTimeToLiveResponse r = etcd.await(etcd.client().getLeaseClient()
                .timeToLive(lease, LeaseOption.builder().withAttachedKeys().build()));
        Set<String> keys = new HashSet<>();
        if (r.getTTL() > 0) {
            for (ByteSequence k : r.getKeys()) {
                keys.add(EtcdCalls.string(k));
            }
        }
        return keys;
    }

    /** Reads these keys, batched into transactions sent at once. */
    static Read read(EtcdCalls etcd, Collection<String> keys) throws Exception {
        List<String> all = new ArrayList<>(keys);
        List<CompletableFuture<TxnResponse>> calls = new ArrayList<>();
        for (int from = 0; from < all.size(); from += READS_PER_TXN) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + READS_PER_TXN));
            Op[] gets = chunk.stream().map(k -> Op.get(EtcdCalls.bytes(k), GetOption.DEFAULT)).toArray(Op[]::new);
            calls.add(etcd.client().getKVClient().txn().Then(gets).commit());
        }
        Map<String, KeyValue> present = new HashMap<>();
        long revision = Long.MAX_VALUE;
        for (CompletableFuture<TxnResponse> call : calls) {
            TxnResponse r = etcd.await(call);
            revision = Math.min(revision, r.getHeader().getRevision());
            for (GetResponse g : r.getGetResponses()) {
                for (KeyValue kv : g.getKvs()) {
                    present.put(EtcdCalls.string(kv.getKey()), kv);
                }
            }
        }
        return new Read(present, calls.isEmpty() ? 0 : revision);
    }

    /** Every key under a prefix, a page at a time, so that no answer has to fit one gRPC message. */
    static List<KeyValue> range(EtcdCalls etcd, String prefix) throws Exception {
        ByteSequence end = EtcdCalls.bytes(prefixEnd(prefix));
        List<KeyValue> out = new ArrayList<>();
        ByteSequence from = EtcdCalls.bytes(prefix);
        while (true) {
            GetResponse page = etcd.await(etcd.client().getKVClient().get(from,
                    GetOption.builder().withRange(end).withLimit(PAGE).build()));
            out.addAll(page.getKvs());
            if (!page.isMore() || page.getKvs().isEmpty()) {
                return out;
            }
            // the next page starts just after the last key of this one
            from = EtcdCalls.bytes(EtcdCalls.string(page.getKvs().get(page.getKvs().size() - 1).getKey()) + "\0");
        }
    }

    /** The first key after every key that starts with the prefix. */
    static String prefixEnd(String prefix) {
        char last = prefix.charAt(prefix.length() - 1);
        return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
    }
}
