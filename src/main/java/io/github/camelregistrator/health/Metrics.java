package io.github.camelregistrator.health;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The registrator's own metrics, on the Micrometer registry that camel-micrometer-prometheus
 * serves; every name starts with {@code registrator_} in Prometheus' format.
 */
public class Metrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> events = new ConcurrentHashMap<>();
    private final Map<String, Counter> probes = new ConcurrentHashMap<>();
    private final Counter puts;
    private final Counter deletes;
    private final Counter passes;
    private final Counter drift;
    private final Counter keepAliveFailures;
    private final Counter dockerReconnects;
    private final Counter refused;
    private final Counter inspects;
    private final Timer etcdCalls;
    private final Map<String, Timer> stages = new ConcurrentHashMap<>();
    private volatile long lastReconcileNanos;

    public Metrics(MeterRegistry registry) {
        this.registry = registry;
        puts = Counter.builder("registrator.etcd.puts").description("keys written").register(registry);
        deletes = Counter.builder("registrator.etcd.deletes").description("keys deleted").register(registry);
        passes = Counter.builder("registrator.reconcile.passes").description("full reconciliation passes").register(registry);
        drift = Counter.builder("registrator.reconcile.drift")
                .description("puts and deletes that full passes made: drift they corrected").register(registry);
        keepAliveFailures = Counter.builder("registrator.lease.keepalive.failures")
                .description("lease keep-alives that failed").register(registry);
        dockerReconnects = Counter.builder("registrator.docker.reconnects")
                .description("reconnections of the Docker event stream").register(registry);
        refused = Counter.builder("registrator.etcd.refused")
                .description("writes etcd refused (permission denied, NOSPACE): retried with backoff").register(registry);
        inspects = Counter.builder("registrator.docker.inspects")
                .description("container inspects sent to Docker, by events, full passes, checks and explain")
                .register(registry);
        etcdCalls = Timer.builder("registrator.etcd.call").description("latency of etcd calls")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("registrator.reconcile.last.duration", () -> lastReconcileNanos / 1e9)
                .baseUnit("seconds").description("duration of the last full pass").register(registry);
    }

    /** Metrics that go nowhere, for tests of the parts alone. */
    public static Metrics none() {
        return new Metrics(new SimpleMeterRegistry());
    }

    public void event(String action) {
        events.computeIfAbsent(action, a -> Counter.builder("registrator.events").tag("type", a)
                .description("Docker container events received").register(registry)).increment();
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /** One active health check probe (SERVICE_CHECK_*), by its result: passed or failed. */
    public void probe(boolean passed) {
        String result = passed ? "passed" : "failed";
        probes.computeIfAbsent(result, a -> Counter.builder("registrator.check.probes").tag("result", result)
                .description("active health check probes, by result").register(registry)).increment();
    }

    public void put() {
        puts.increment();
    }

    public void delete() {
        deletes.increment();
    }

    public void reconciled(long nanos, int changes) {
        passes.increment();
        drift.increment(changes);
        lastReconcileNanos = nanos;
    }

    public void keepAliveFailed() {
        keepAliveFailures.increment();
    }

    public void refused() {
        refused.increment();
    }

    public void inspected() {
        inspects.increment();
    }

    public void dockerReconnected() {
        dockerReconnects.increment();
    }

    public void etcdCall(long nanos) {
        etcdCalls.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * One stage of an event's way to etcd: {@code queued} (received to taken by a worker),
     * {@code inspect}, {@code map} (inspect data to entries), {@code deliver} (entries to etcd's
     * acknowledgement) and {@code total}.
     */
    public void stage(String stage, long nanos) {
        stages.computeIfAbsent(stage, s -> Timer.builder("registrator.stage").tag("stage", s)
                .description("time an event spends in each stage of its way to etcd")
                .publishPercentileHistogram().register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Prometheus' text format of every metric, the registrator's and Camel's. */
    public String scrape() {
        return registry instanceof PrometheusMeterRegistry p ? p.scrape() : "";
    }
}
