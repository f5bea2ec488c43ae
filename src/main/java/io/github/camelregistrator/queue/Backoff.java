package io.github.camelregistrator.queue;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Per-item exponential backoff, as client-go's item rate limiter: each failure of an item
 * doubles its delay from {@code baseMs} up to {@code maxMs}; a success forgets it. The delay
 * is jittered into [d/2, d] so that many items failing together do not retry in lockstep.
 */
public final class Backoff {
    private final long baseMs;
    private final long maxMs;
    private final Map<String, Integer> failures = new HashMap<>();

    public Backoff(long baseMs, long maxMs) {
        this.baseMs = baseMs;
        this.maxMs = maxMs;
    }

    /** Records one more failure of the item and returns how long to wait before its next try. */
    public synchronized long next(String item) {
        int n = failures.merge(item, 1, Integer::sum);
        long d = ceiling(n);
        return d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
    }

    /** The upper bound of the delay after n failures, without jitter. */
    public long ceiling(int n) {
        return n >= 40 ? maxMs : Math.min(maxMs, baseMs << Math.max(0, n - 1));
    }

    public synchronized int failures(String item) {
        return failures.getOrDefault(item, 0);
    }

    public synchronized void forget(String item) {
        failures.remove(item);
    }

    public synchronized void forgetAll() {
        failures.clear();
    }
}
