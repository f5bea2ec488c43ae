package io.github.camelregistrator.health;

import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One persistent fault (etcd unreachable, etcd refusing writes, Docker gone) and its log: one
 * line when it starts, then at most one line per backoff step (1 s doubling, capped at one a
 * minute) while it lasts, and one line when it ends. Its reason feeds readiness.
 */
public final class Fault {
    private static final Logger LOG = LoggerFactory.getLogger("registrator");
    static final long FIRST_REPEAT_MS = 1000;
    static final long MAX_REPEAT_MS = 60_000;

    private final String what;
    private final LongSupplier clock;
    private String reason;
    private long since;
    private long nextLog;
    private long step;
    private int suppressed;

    /** @param what how the fault reads in a log line, e.g. "etcd refuses writes" */
    public Fault(String what) {
        this(what, System::currentTimeMillis);
    }

    Fault(String what, LongSupplier clockMs) {
        this.what = what;
        this.clock = clockMs;
    }

    /**
     * The fault happened (again).
     *
     * @return whether this occurrence was logged
     */
    public synchronized boolean occurred(String why) {
        long now = clock.getAsLong();
        if (reason == null) {
            reason = why;
            since = now;
            step = FIRST_REPEAT_MS;
            nextLog = now + step;
            suppressed = 0;
            LOG.warn("{}: {}", what, why);
            return true;
        }
        reason = why;
        if (now < nextLog) {
            suppressed++;
            return false;
        }
        step = Math.min(step * 2, MAX_REPEAT_MS);
        nextLog = now + step;
        LOG.warn("{} for {} s: {}{}", what, (now - since) / 1000, why,
                suppressed == 0 ? "" : " (" + suppressed + " more since the last line)");
        suppressed = 0;
        return true;
    }

    /** The fault is over; logs once if it was on. */
    public synchronized void cleared() {
        if (reason != null) {
            LOG.info("{}: over after {} s", what, (clock.getAsLong() - since) / 1000);
            reason = null;
        }
    }

    /** Null while the fault is off. */
    public synchronized String reason() {
        return reason == null ? null : what + ": " + reason;
    }

    public synchronized boolean active() {
        return reason != null;
    }
}
