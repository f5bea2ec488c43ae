package io.github.camelregistrator.check;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import io.github.camelregistrator.health.Metrics;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active checks of this host's containers, one per service (container and port), and
 * their state. The route {@code health-checks} (routes/checks.yaml) asks on every tick for the
 * probes that are due ({@link #probeDue}); each result moves its check's state here, and a
 * result that moves the service across its rise or fall count goes to the route
 * {@code health-check-changed} as a {@link Change}. Only changes take a trip through Camel: a
 * route per probe cost CPU on every probe (ChecksBench: 0.55 ms per probe with it, 0.43 without,
 * one run each on a loaded machine).
 * Probes of one check never overlap; the first starts after a random part of its interval (at
 * most a second), and each next one up to a tenth of the interval early, so that containers
 * started together drift apart instead of probing in lockstep. A check goes with its container.
 */
public class HealthChecks extends ServiceSupport {
    static final long FIRST_PROBE_MAX_DELAY_NANOS = 1_000_000_000L;

    /** One service of one container, by its private port and protocol. */
    public record Key(String containerId, int port, String protocol) {
    }

    /** What a sync declares: the service's check and the address its probe goes to (null: none). */
    public record Declared(Key key, String containerName, CheckSpec spec, String ip) {
    }

    /** A service that crossed its rise or fall count: the body of the route health-check-changed. */
    public record Change(String containerId, String containerName, int port, String kind, CheckState state, String detail) {
        @Override
        public String toString() {
            return "container=" + containerName + " port=" + port + " check " + kind + " " + state.label() + " after "
                    + (state.passing() ? state.passes() + " pass(es)" : state.failures() + " failure(s)") + " in a row: "
                    + detail;
        }
    }

    /** One check and where it stands; its fields change only under its own lock. */
    static final class Check {
        final Key key;
        final String name;
        final CheckSpec spec;
        final String ip;
        final String target;
        CheckState state;
        long dueNanos;
        boolean running;
        Instant lastRun;
        Probes.Result last;

        Check(Declared d, CheckState state, long dueNanos) {
            this.key = d.key();
            this.name = d.containerName();
            this.spec = d.spec();
            this.ip = d.ip();
            this.target = d.ip() == null || !d.spec().probed() ? null : d.spec().target(d.ip(), d.key().port());
            this.state = state;
            this.dueNanos = dueNanos;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger("registrator");

    private final Map<Key, Check> checks = new ConcurrentHashMap<>();
    /** When each container last declared its checks (System.nanoTime()), for full passes. */
    private final Map<String, Long> declaredAt = new ConcurrentHashMap<>();
    private final Probes probes;
    private final Metrics metrics;
    private volatile Consumer<Change> changes = c -> {
    };
    private volatile Consumer<Boolean> ticking = on -> {
    };
    /** Whether a check exists now, and whether the tick was last switched on. */
    private volatile boolean wanted;
    private boolean ticks;

    /** @param probes null: checks are declared and shown but never probed (explain, computed read-only) */
    public HealthChecks(Probes probes, Metrics metrics) {
        this.probes = probes;
        this.metrics = metrics;
    }

    /**
     * Told when the first check comes (true) and the last goes (false): the route health-checks
     * ticks only in between, so a host without checks pays no exchange ten times a second.
     * Switched off the caller's thread, since stopping a route may wait for its exchange.
     */
    public void onActive(Consumer<Boolean> ticking) {
        this.ticking = ticking;
    }

    private void tickIfNeeded() {
        boolean want = probes != null && !checks.isEmpty();
        if (want != wanted) {
            wanted = want;
            java.util.concurrent.ForkJoinPool.commonPool().execute(this::switchTick);
        }
    }

    private synchronized void switchTick() {
        boolean want = wanted;
        if (want != ticks) {
            ticks = want;
            ticking.accept(want);
        }
    }

    /** Where a change goes: the route health-check-changed. */
    public void onChange(Consumer<Change> changes) {
        this.changes = changes;
    }

    /**
     * The checks of a container as its last sync found them. A check whose kind, timing and
     * target are unchanged keeps its state; others start afresh; those not declared go.
     */
    public void declare(String containerId, List<Declared> declared) {
        Set<Key> keep = new java.util.HashSet<>();
        long now = System.nanoTime();
        declaredAt.put(containerId, now);
        for (Declared d : declared) {
            keep.add(d.key());
            checks.compute(d.key(), (k, old) -> {
                if (old != null && old.spec.equals(d.spec()) && java.util.Objects.equals(old.ip, d.ip())) {
                    return old;
                }
                if (!d.spec().probed() && probes != null) {
                    // once per container start, as other refused metadata
                    LOG.warn("container={} port={}: {}", d.containerName(), k.port(), d.spec().refusal());
                }
                long jitter = ThreadLocalRandom.current().nextLong(
                        Math.max(1, Math.min(d.spec().interval().toNanos(), FIRST_PROBE_MAX_DELAY_NANOS)));
                return new Check(d, CheckState.initial(d.spec()), now + jitter);
            });
        }
        checks.keySet().removeIf(k -> k.containerId().equals(containerId) && !keep.contains(k));
        tickIfNeeded();
    }

    /** The container is gone or stopped: its checks go with it. */
    public void forget(String containerId) {
        declaredAt.remove(containerId);
        checks.keySet().removeIf(k -> k.containerId().equals(containerId));
        tickIfNeeded();
    }

    /**
     * Forgets the checks of containers a full pass no longer saw, but not those declared since
     * its listing began ({@code listedNanos}): such a container started after it.
     */
    public void retainOnly(Set<String> containerIds, long listedNanos) {
        Set<String> stale = new java.util.HashSet<>();
        declaredAt.forEach((id, at) -> {
            if (!containerIds.contains(id) && at - listedNanos < 0) {
                stale.add(id);
            }
        });
        stale.forEach(this::forget);
    }

    /**
     * Whether the service counts as up: no check, a refused one, or one that passes. Where
     * nothing probes (explain, computed read-only while no registrator runs), every service
     * counts as up, so that what etcd holds is compared with what a passing service would write.
     */
    public boolean passing(Key key) {
        Check c = checks.get(key);
        if (c == null || probes == null) {
            return true;
        }
        synchronized (c) {
            return !c.spec.probed() || c.state.passing();
        }
    }

    /** Services held back by their check now. */
    public int heldBack() {
        int held = 0;
        for (Check c : checks.values()) {
            synchronized (c) {
                held += c.spec.probed() && !c.state.passing() ? 1 : 0;
            }
        }
        return held;
    }

    /** Starts every probe whose time has come and that is not still running; returns how many. */
    public int probeDue() {
        if (probes == null) {
            return 0;
        }
        long now = System.nanoTime();
        int started = 0;
        for (Check c : checks.values()) {
            synchronized (c) {
                if (!c.spec.probed() || c.running || now - c.dueNanos < 0) {
                    continue;
                }
                c.running = true;
                c.lastRun = Instant.now();
                long interval = c.spec.interval().toNanos();
                c.dueNanos = now + interval - ThreadLocalRandom.current().nextLong(Math.max(1, interval / 10));
            }
            started++;
            start(c);
        }
        return started;
    }

    private void start(Check c) {
        java.util.concurrent.CompletableFuture<Probes.Result> probe;
        try {
            if (c.ip == null) {
                probe = java.util.concurrent.CompletableFuture.completedFuture(
                        new Probes.Result(false, "the container has no address to probe"));
            } else {
                // a literal: no name lookup; named by itself, for the Host header
                InetSocketAddress target = new InetSocketAddress(
                        InetAddress.getByAddress(c.ip, InetAddress.getByName(c.ip).getAddress()), c.key.port());
                probe = c.spec.kind() == CheckSpec.Kind.TCP ? probes.tcp(target, c.spec.timeout())
                        : probes.http(target, c.spec.kind() == CheckSpec.Kind.HTTPS, c.spec.path(), c.spec.method(), c.spec.timeout());
            }
        } catch (Exception e) {
            probe = java.util.concurrent.CompletableFuture.completedFuture(new Probes.Result(false, String.valueOf(e.getMessage())));
        }
        probe.whenComplete((result, failure) -> {
            Probes.Result r = result != null ? result : new Probes.Result(false, String.valueOf(failure));
            Change change;
            synchronized (c) {
                CheckState before = c.state;
                c.state = before.next(r.passed(), c.spec.rise(), c.spec.fall());
                c.last = r;
                c.running = false;
                // a probe longer than the interval: the next starts when this one ends, never during
                c.dueNanos = Math.max(c.dueNanos, System.nanoTime());
                // a check replaced or forgotten meanwhile changes nothing
                change = before.passing() == c.state.passing() || checks.get(c.key) != c ? null
                        : new Change(c.key.containerId(), c.name, c.key.port(), c.spec.kind().label(), c.state, r.detail());
            }
            metrics.probe(r.passed());
            if (change != null) {
                changes.accept(change);
            }
        });
    }

    /** Every check of a container, by port. */
    public List<CheckView> views(String containerId) {
        List<CheckView> out = new ArrayList<>();
        for (Check c : checks.values()) {
            if (!c.key.containerId().equals(containerId)) {
                continue;
            }
            synchronized (c) {
                CheckSpec s = c.spec;
                if (!s.probed()) {
                    out.add(new CheckView(c.key.port(), c.key.protocol(), s.kind().label(), null, "refused", null,
                            s.refusal(), 0, 0, null, null, null, null, null));
                    continue;
                }
                out.add(new CheckView(c.key.port(), c.key.protocol(), s.kind().label(), c.target, c.state.label(),
                        c.last == null ? null : c.last.passed() ? "passed" : "failed",
                        c.last == null ? (probes == null ? "not probed: no registrator runs these checks here" : null)
                                : c.last.detail(),
                        c.state.passes(), c.state.failures(), c.lastRun == null ? null : c.lastRun.toString(),
                        s.interval().toMillis() + "ms", s.timeout().toMillis() + "ms", s.rise(), s.fall()));
            }
        }
        out.sort(Comparator.comparingInt(CheckView::port).thenComparing(CheckView::protocol));
        return out;
    }

    /** How many checks there are, for the benchmark and tests. */
    public int size() {
        return checks.size();
    }

    @Override
    protected void doStop() {
        checks.clear();
        declaredAt.clear();
        if (probes != null) {
            probes.close();
        }
    }
}
