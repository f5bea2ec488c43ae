package io.github.camelregistrator.bench;

import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;

/**
 * The registrator's write with nothing around it: the guarded transaction it sends for one
 * key (put under a lease if the key is absent, with the host's record entry; later deleted if
 * unchanged), from a warm client. Its latency is what {@code deliver} cannot go below; beside
 * it, the floor's plain put shows what the guard and the record entry cost.
 */
final class BareTxn {
    private BareTxn() {
    }

    /** Writes before the timed ones, so that both clients' paths are compiled and connected. */
    private static final int WARM_UP = 20;

    /** One write of key number i; returns its clean-up, which is not timed. */
    private interface Write {
        Cleanup at(int i) throws Exception;
    }

    private interface Cleanup {
        void run() throws Exception;
    }

    static Stats measure(Client etcd, String prefix, int n) throws Exception {
        long lease = etcd.getLeaseClient().grant(60).get(10, TimeUnit.SECONDS).getID();
        PutOption underLease = PutOption.builder().withLeaseId(lease).build();
        try {
            return timed(n, i -> {
                ByteSequence key = Benchmark.bytes(prefix + "/svc/host:c" + i + ":80");
                ByteSequence record = Benchmark.bytes(prefix + "-keys/host" + prefix + "/svc/host:c" + i + ":80");
                TxnResponse put = etcd.getKVClient().txn()
                        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)))
                        .Then(Op.put(key, Benchmark.bytes("10.0.0.5:3" + i), underLease),
                                Op.put(record, Benchmark.bytes(""), PutOption.DEFAULT))
                        .Else(Op.get(key, GetOption.DEFAULT)).commit().get(10, TimeUnit.SECONDS);
                return () -> etcd.getKVClient().txn()
                        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(put.getHeader().getRevision())))
                        .Then(Op.delete(key, DeleteOption.DEFAULT), Op.delete(record, DeleteOption.DEFAULT))
                        .Else(Op.get(key, GetOption.DEFAULT)).commit().get(10, TimeUnit.SECONDS);
            });
        } finally {
            etcd.getLeaseClient().revoke(lease).get(10, TimeUnit.SECONDS);
        }
    }

    /** The floor's write from the same warm client: a plain put, then its delete. */
    static Stats measurePut(Client etcd, String prefix, int n) throws Exception {
        return timed(n, i -> {
            ByteSequence key = Benchmark.bytes(prefix + "/svc/host:p" + i + ":80");
            etcd.getKVClient().put(key, Benchmark.bytes("10.0.0.5:3" + i)).get(10, TimeUnit.SECONDS);
            return () -> etcd.getKVClient().delete(key).get(10, TimeUnit.SECONDS);
        });
    }

    /** n timed writes after the warm-up, each cleaned up before the next. */
    private static Stats timed(int n, Write write) throws Exception {
        Stats times = new Stats();
        for (int i = 0; i < n + WARM_UP; i++) {
            long t0 = System.nanoTime();
            Cleanup cleanup = write.at(i);
            long t1 = System.nanoTime();
            if (i >= WARM_UP) {
                times.add((t1 - t0) / 1e6);
            }
            cleanup.run();
        }
        return times;
    }
}
