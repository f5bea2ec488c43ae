package io.github.camelregistrator.docker;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.AbstractMap;
import java.util.Set;

/**
 * A work queue that coalesces by key, as Kubernetes controllers do: a key queued again before
 * it is taken keeps one slot (with the latest item), and a key is never handed to two workers
 * at once. Its size is bounded by the number of distinct keys (containers), whatever the event
 * rate or the length of an outage.
 */
public final class WorkQueue<T> {
    private final LinkedHashMap<String, T> pending = new LinkedHashMap<>();
    private final Set<String> inFlight = new HashSet<>();
    private boolean closed;

    public synchronized void add(String key, T item) {
        pending.put(key, item);
        notifyAll();
    }

    /** Queues the item only when nothing is pending for its key, so it never hides a stronger one. */
    public synchronized void addIfAbsent(String key, T item) {
        if (pending.putIfAbsent(key, item) == null) {
            notifyAll();
        }
    }

    /** The oldest key not in flight, or null once closed. */
    public synchronized Map.Entry<String, T> take() throws InterruptedException {
        while (!closed) {
            Iterator<Map.Entry<String, T>> it = pending.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, T> e = it.next();
                if (!inFlight.contains(e.getKey())) {
                    it.remove();
                    inFlight.add(e.getKey());
                    return new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue());
                }
            }
            wait();
        }
        return null;
    }

    public synchronized void done(String key) {
        inFlight.remove(key);
        notifyAll();
    }

    public synchronized int size() {
        return pending.size();
    }

    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
