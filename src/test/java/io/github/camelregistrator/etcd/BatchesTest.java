package io.github.camelregistrator.etcd;

import java.util.List;
import java.util.stream.IntStream;

import io.github.camelregistrator.etcd.EtcdCalls.Write;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BatchesTest {

    private static List<Write> writes(int n, int valueBytes) {
        return IntStream.range(0, n).mapToObj(i -> new Write("/s/" + i, "v".repeat(valueBytes), 0)).toList();
    }

    private static List<Integer> sizes(List<Write> writes) {
        return Batches.of(writes).stream().map(List::size).toList();
    }

    @Test
    void splitsByKeysAndBytesKeepingOrder() {
        assertEquals(List.of(), sizes(List.of()));
        assertEquals(List.of(1), sizes(writes(1, 10)));
        assertEquals(List.of(64), sizes(writes(64, 10)));
        assertEquals(List.of(64, 64, 2), sizes(writes(130, 10)));
        // 64 KiB values: 7 fit under 512 KiB with their keys, the 8th opens a new transaction
        assertEquals(List.of(7, 7, 6), sizes(writes(20, 64 * 1024)));
        // one value over the byte limit still goes, alone
        assertEquals(List.of(1, 1), sizes(writes(2, 600 * 1024)));
        // deletes carry no value
        assertEquals(List.of(64, 36), sizes(IntStream.range(0, 100).mapToObj(i -> new Write("/s/" + i, null, 7)).toList()));
        List<Write> all = writes(130, 10);
        assertEquals(all, Batches.of(all).stream().flatMap(List::stream).toList());
    }
}
