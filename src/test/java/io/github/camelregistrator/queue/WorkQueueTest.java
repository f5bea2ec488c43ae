package io.github.camelregistrator.queue;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkQueueTest {

    @Test
    void aBurstForOneKeyIsOneItemWithTheLatestValue() throws Exception {
        WorkQueue<String> q = new WorkQueue<>();
        for (int i = 0; i < 10_000; i++) {
            q.add("c" + (i % 3), "event" + i);
        }
        assertEquals(3, q.size());
        Map.Entry<String, String> first = q.take();
        assertEquals("c0", first.getKey());
        assertEquals("event9999", first.getValue());
    }

    @Test
    void aKeyInFlightIsNotHandedOutAgainUntilDone() throws Exception {
        WorkQueue<String> q = new WorkQueue<>();
        q.add("a", "start");
        assertEquals("a", q.take().getKey());
        q.add("a", "die");
        q.add("b", "start");
        assertEquals("b", q.take().getKey());
        q.done("a");
        Map.Entry<String, String> again = q.take();
        assertEquals("a", again.getKey());
        assertEquals("die", again.getValue());
    }

    @Test
    void aWeakItemNeverReplacesAPendingOne() throws Exception {
        WorkQueue<String> q = new WorkQueue<>();
        q.add("a", "start");
        q.addIfAbsent("a", "kill");
        assertEquals("start", q.take().getValue());
    }

    @Test
    void aFailedKeyComesBackAfterItsBackoffAndNotBefore() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            // bounds that hold on a loaded machine: the wait is timed from before the add, and a
            // backoff of at least 500 ms leaves the drain below plenty of time to run first
            WorkQueue<String> q = new WorkQueue<>(new Backoff(1000, 30_000), timer, () -> {
            });
            long started = System.nanoTime();
            long delay = q.addRateLimited("a", "retry");
            assertTrue(delay >= 500 && delay <= 1000, "first delay " + delay);
            assertEquals(1, q.size(), "a waiting key counts as pending");
            assertTrue(q.drain().isEmpty(), "not ready before its backoff");
            assertEquals("a", q.take().getKey());
            long waited = System.nanoTime() - started;
            assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(delay), "waited " + waited / 1_000_000 + " ms of " + delay);
            q.done("a");
            assertTrue(q.addRateLimited("a", "retry") >= 1000, "the second failure waits longer");
            q.forget("a");
            assertEquals(0, q.failures("a"));
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void anAddCutsABackoffShortAndRetryAllNowReleasesEveryWaitingKey() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            WorkQueue<String> q = new WorkQueue<>(new Backoff(60_000, 60_000), timer, () -> {
            });
            q.addRateLimited("a", "retry");
            q.addRateLimited("b", "retry");
            q.add("a", "event");
            assertEquals("a", q.drain().get(0).getKey());
            q.retryAllNow();
            assertEquals("b", q.drain().get(0).getKey());
            assertEquals(0, q.failures("b"));
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void backoffDoublesToItsCapWithJitter() {
        Backoff b = new Backoff(100, 30_000);
        long last = 0;
        for (int i = 1; i <= 20; i++) {
            long d = b.next("k");
            long ceiling = b.ceiling(i);
            assertTrue(d >= ceiling / 2 && d <= ceiling, i + ": " + d);
            assertTrue(ceiling >= last);
            last = ceiling;
        }
        assertEquals(30_000, last);
    }
}
