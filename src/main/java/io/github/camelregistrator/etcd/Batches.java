package io.github.camelregistrator.etcd;

import java.util.ArrayList;
import java.util.List;

import io.github.camelregistrator.etcd.EtcdCalls.Write;

/**
 * Splits writes into transactions etcd accepts: at most {@value #MAX_KEYS} keys (etcd's
 * --max-txn-ops is 128 by default) and about {@value #MAX_BYTES} bytes (its request limit is
 * 1.5 MiB by default; one value may be up to 64 KiB).
 */
final class Batches {
    static final int MAX_KEYS = 64;
    static final int MAX_BYTES = 512 * 1024;

    private Batches() {
    }

    static List<List<Write>> of(List<Write> writes) {
        List<List<Write>> out = new ArrayList<>();
        List<Write> chunk = new ArrayList<>();
        long bytes = 0;
        for (Write w : writes) {
            long size = w.key().length() + (w.value() == null ? 0 : w.value().length());
            if (!chunk.isEmpty() && (chunk.size() == MAX_KEYS || bytes + size > MAX_BYTES)) {
                out.add(chunk);
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(w);
            bytes += size;
        }
        if (!chunk.isEmpty()) {
            out.add(chunk);
        }
        return out;
    }
}
