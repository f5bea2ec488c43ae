package io.github.camelregistrator.queue;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The work queue of a Kubernetes controller (client-go's rate-limiting queue), in small:
 * <ul>
 * <li>a key queued again before it is taken keeps one slot, with the latest item;</li>
 * <li>a key is never handed to two workers at once: one queued while in flight waits for
 * {@link #done};</li>
 * <li>{@link #addRateLimited} queues a failed key again after its own jittered, exponential
 * backoff, and {@link #forget} resets that backoff after a success.</li>
 * </ul>
 * Its size is bounded by the number of distinct keys, whatever the event rate or the length of
 * an outage.
 */
public final class WorkQueue<T> {
    private final LinkedHashMap<String, T> pending = new LinkedHashMap<>();
    private final Set<String> inFlight = new HashSet<>();
    private final Map<String, ScheduledFuture<?>> waiting = new HashMap<>();
    private final Backoff backoff;
    private final ScheduledExecutorService timer;
    private final Runnable onReady;
    private boolean closed;

    /** A queue without rate-limited requeue. */
    public WorkQueue() {
        this(null, null, () -> {
        });
    }

    /**
     * @param timer   runs the delayed adds
     * @param onReady told after a delayed add made a key ready, for consumers that do not block in {@link #take}
     */
    public WorkQueue(Backoff backoff, ScheduledExecutorService timer, Runnable onReady) {
        this.backoff = backoff;
        this.timer = timer;
        this.onReady = onReady;
    }

    public synchronized void add(String key, T item) {
        cancelWait(key);
        pending.put(key, item);
        notifyAll();
    }

    /** Queues the item only when nothing is pending for its key, so it never hides a stronger one. */
    public synchronized void addIfAbsent(String key, T item) {
        if (!pending.containsKey(key)) {
            add(key, item);
        }
    }

    /**
     * Queues the key again after its backoff: one try per backoff step, however persistent the
     * fault. A key that is added directly meanwhile is not delayed by it.
     *
     * @return the delay in milliseconds
     */
    public long addRateLimited(String key, T item) {
        long delay = backoff.next(key);
        synchronized (this) {
            if (closed || pending.containsKey(key)) {
                return 0;
            }
            cancelWait(key);
            waiting.put(key, timer.schedule(() -> {
                synchronized (this) {
                    if (waiting.remove(key) == null) {
                        return;
                    }
                    pending.putIfAbsent(key, item);
                    notifyAll();
                }
                onReady.run();
            }, delay, TimeUnit.MILLISECONDS));
        }
        return delay;
    }

    /** The key succeeded: its next failure starts from the shortest backoff. */
    public void forget(String key) {
        if (backoff != null) {
            backoff.forget(key);
        }
    }

    /** The number of failures in a row of this key. */
    public int failures(String key) {
        return backoff == null ? 0 : backoff.failures(key);
    }

    /** Everything waiting out a backoff is ready now, with fresh backoffs: the fault is over. */
    public synchronized void retryAllNow() {
        if (backoff != null) {
            backoff.forgetAll();
        }
        for (String key : new ArrayList<>(waiting.keySet())) {
            cancelWait(key);
            pending.putIfAbsent(key, null);
        }
        notifyAll();
    }

    /** The oldest key not in flight, or null once closed. */
    public synchronized Map.Entry<String, T> take() throws InterruptedException {
        while (!closed) {
            Map.Entry<String, T> e = poll();
            if (e != null) {
                return e;
            }
            wait();
        }
        return null;
    }

    /** Every ready key not in flight, now; each is in flight until {@link #done}. */
    public synchronized List<Map.Entry<String, T>> drain() {
        List<Map.Entry<String, T>> out = new ArrayList<>();
        for (Map.Entry<String, T> e = poll(); e != null; e = poll()) {
            out.add(e);
        }
        return out;
    }

    private Map.Entry<String, T> poll() {
        Iterator<Map.Entry<String, T>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, T> e = it.next();
            if (!inFlight.contains(e.getKey())) {
                it.remove();
                inFlight.add(e.getKey());
                return new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue());
            }
        }
        return null;
    }

    public synchronized void done(String key) {
        inFlight.remove(key);
        notifyAll();
    }

    /**
     * When the key is tried next, in milliseconds from now: 0 when it is ready now, -1 when it
     * is neither queued nor waiting out a backoff.
     */
    public synchronized long retryInMs(String key) {
        ScheduledFuture<?> f = waiting.get(key);
        if (f != null) {
            return Math.max(0, f.getDelay(TimeUnit.MILLISECONDS));
        }
        return pending.containsKey(key) || inFlight.contains(key) ? 0 : -1;
    }

    /** Distinct keys queued or waiting out a backoff. */
    public synchronized int size() {
        Set<String> keys = new HashSet<>(pending.keySet());
        keys.addAll(waiting.keySet());
        return keys.size();
    }

    public synchronized void close() {
        closed = true;
        waiting.values().forEach(f -> f.cancel(false));
        waiting.clear();
        notifyAll();
    }

    private void cancelWait(String key) {
        ScheduledFuture<?> f = waiting.remove(key);
        if (f != null) {
            f.cancel(false);
        }
    }
}
