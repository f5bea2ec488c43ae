package io.github.camelregistrator.it;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;

/**
 * Other hosts' keys, as a fleet sharing one etcd leaves them: {@code hosts} × {@code services}
 * keys in the registrator layout, loaded in transactions of 128 puts (etcd's default
 * --max-txn-ops), a few in flight at once.
 */
public final class ForeignKeys {
    public static final int PER_TXN = 128;

    private ForeignKeys() {
    }

    /** The i-th foreign key: a gliderlabs-style key of host i / services, under /services/. */
    public static String key(int i, int services) {
        return "/services/svc-" + (i % services) + "/fleet-host-" + (i / services) + ":c" + (i % services) + ":80";
    }

    public static String value(int i) {
        return "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255) + ":" + (30000 + i % 30000);
    }

    /** @return the revision after the load */
    public static long load(Client etcd, int count, int services) throws Exception {
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        long revision = 0;
        for (int from = 0; from < count; from += PER_TXN) {
            List<Op> puts = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + PER_TXN); i++) {
                puts.add(Op.put(Etcd.bytes(key(i, services)), Etcd.bytes(value(i)), PutOption.DEFAULT));
            }
            inFlight.add(etcd.getKVClient().txn().Then(puts.toArray(Op[]::new)).commit());
            if (inFlight.size() == 8) {
                for (CompletableFuture<?> f : inFlight) {
                    f.get(30, TimeUnit.SECONDS);
                }
                inFlight.clear();
            }
        }
        for (CompletableFuture<?> f : inFlight) {
            f.get(30, TimeUnit.SECONDS);
        }
        return etcd.getKVClient().get(Etcd.bytes("/")).get(30, TimeUnit.SECONDS).getHeader().getRevision();
    }
}
