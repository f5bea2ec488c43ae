package io.github.camelregistrator.bench;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;

/** The keys under a prefix, kept by an etcd watch, with the arrival time of each change. */
final class Keys implements Closeable {
    private final Map<String, String> state = new ConcurrentHashMap<>();
    private final Map<String, Long> puts = new ConcurrentHashMap<>();
    private final Map<String, Long> deletes = new ConcurrentHashMap<>();
    private volatile long lastChange;
    private final Watch.Watcher watcher;

    Keys(Client etcd, String prefix) {
        watcher = etcd.getWatchClient().watch(Benchmark.bytes(prefix + "/"), WatchOption.builder().isPrefix(true).build(),
                r -> {
                    long now = System.nanoTime();
                    for (WatchEvent e : r.getEvents()) {
                        String key = e.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
                        if (e.getEventType() == WatchEvent.EventType.PUT) {
                            state.put(key, e.getKeyValue().getValue().toString(StandardCharsets.UTF_8));
                            puts.put(key, now);
                        } else {
                            state.remove(key);
                            deletes.put(key, now);
                        }
                    }
                    lastChange = now;
                });
    }

    long awaitPut(String key, long timeoutMs) throws InterruptedException {
        return await(puts, key, timeoutMs);
    }

    long awaitDelete(String key, long timeoutMs) throws InterruptedException {
        return await(deletes, key, timeoutMs);
    }

    private long await(Map<String, Long> times, String key, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        Long t;
        while ((t = times.get(key)) == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("key never changed: " + key);
            }
            Thread.sleep(1);
        }
        return t;
    }

    /** When the watch last changed the state into one that holds. */
    long awaitState(Predicate<Map<String, String>> holds, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!holds.test(state)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("etcd never reached the state; it has " + state.size() + " keys");
            }
            Thread.sleep(1);
        }
        return lastChange;
    }

    int size() {
        return state.size();
    }

    void forget(String key) {
        puts.remove(key);
        deletes.remove(key);
    }

    @Override
    public void close() {
        watcher.close();
    }
}
