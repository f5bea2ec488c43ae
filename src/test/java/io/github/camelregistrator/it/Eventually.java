package io.github.camelregistrator.it;

import java.time.Duration;

/** Polls an assertion until it holds or the time is up; then the last failure is thrown. */
public final class Eventually {
    private Eventually() {
    }

    /** Milliseconds until the condition held, polled every 10 ms; -1 when it did not within the timeout. */
    public static long millisUntil(Duration timeout, java.util.function.BooleanSupplier condition) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < timeout.toNanos()) {
            if (condition.getAsBoolean()) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        return -1;
    }

    public static void within(Duration timeout, Runnable assertion) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
