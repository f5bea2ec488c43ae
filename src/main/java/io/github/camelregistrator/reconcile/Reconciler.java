package io.github.camelregistrator.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.github.camelregistrator.docker.DockerClients;
import io.github.camelregistrator.etcd.Registry;
import io.github.camelregistrator.health.Metrics;
import io.github.camelregistrator.layout.Entry;
import io.github.camelregistrator.health.Causes;
import io.github.camelregistrator.health.Fault;
import io.github.camelregistrator.queue.Backoff;
import io.github.camelregistrator.queue.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full pass: list what runs, inspect it all in parallel, derive every entry, and let the
 * registry write only the difference. Passes never overlap; a pass asked for while one runs
 * is folded into one more pass after it.
 */
public class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger("registrator");

    private final DockerClient docker;
    private final Metrics metrics;
    private final ContainerEntries entries;
    private final Registry registry;
    private final ExecutorService inspectors;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean again;
    private static final String PASS = "pass";
    private final Backoff backoff = new Backoff(100, 10_000);
    private final ScheduledExecutorService retry = Threads.scheduler("registrator-reconcile-retry");
    private final AtomicBoolean retryScheduled = new AtomicBoolean();
    // while Docker or etcd stays down, passes fail every few seconds: one bounded fault, not a line each
    private final Fault failing = new Fault("full pass fails");
    private volatile boolean startUp = true;
    /** registrator.swarm-services: the swarm services are owners in the same pass; null: off. */
    private volatile SwarmServices swarmServices;

    public Reconciler(DockerClient docker, ContainerEntries entries, Registry registry, int parallelism, Metrics metrics) {
        this.metrics = metrics;
        this.docker = docker;
        this.entries = entries;
        this.registry = registry;
        this.inspectors = Executors.newFixedThreadPool(parallelism, Threads.daemon("registrator-inspect"));
    }

    /** Swarm services (a manager's registrator.swarm-services) are part of every pass from now on. */
    public void alsoSwarmServices(SwarmServices services) {
        this.swarmServices = services;
    }

    /** Runs a full pass; a failed one (Docker or etcd unreachable) is tried again after a backoff. */
    public void reconcile() {
        again = true;
        while (again) {
            if (!running.compareAndSet(false, true)) {
                return;
            }
            try {
                again = false;
                pass();
                backoff.forget(PASS);
                failing.cleared();
            } catch (Exception e) {
                retryLater(e);
            } finally {
                running.set(false);
            }
        }
    }

    private void retryLater(Exception e) {
        if (!retryScheduled.compareAndSet(false, true)) {
            return;
        }
        long delay = backoff.next(PASS);
        failing.occurred(Causes.message(e));
        LOG.debug("full pass failed; retrying in {} ms", delay, e);
        retry.schedule(() -> {
            retryScheduled.set(false);
            reconcile();
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void pass() throws Exception {
        long started = System.nanoTime();
        long stamp = registry.stamp();
        // stopped containers matter only when a failed one keeps its entries
        List<Container> running = docker.listContainersCmd().withShowAll(entries.keepsFailed()).exec();
        List<CompletableFuture<Map.Entry<String, List<Entry>>>> inspects = new ArrayList<>();
        for (Container c : running) {
            inspects.add(CompletableFuture.supplyAsync(
                    () -> new java.util.AbstractMap.SimpleEntry<>(c.getId(), entries.of(c.getId(), DockerClients.inspect(docker, c.getId()),
                            io.github.camelregistrator.observe.Registrations.RESYNC).entries()),
                    inspectors));
        }
        // a null list keeps what the container registered before
        long listed = System.nanoTime();
        Map<String, List<Entry>> snapshot = new HashMap<>();
        for (CompletableFuture<Map.Entry<String, List<Entry>>> f : inspects) {
            Map.Entry<String, List<Entry>> e = f.join();
            snapshot.put(e.getKey(), e.getValue());
        }
        SwarmServices services = swarmServices;
        if (services != null) {
            snapshot.putAll(services.all());
        }
        long derived = System.nanoTime();
        Registry.Changes changes = registry.reconcile(stamp, snapshot);
        entries.retainOnly(snapshot.keySet(), started);
        long nanos = System.nanoTime() - started;
        metrics.reconciled(nanos, changes.puts() + changes.deletes());
        long ms = nanos / 1_000_000;
        if (startUp) {
            // where a cold start's time goes, until the first pass that could write
            startUp = registry.lease() == 0;
            LOG.info("start-up pass containers={} puts={} pending={} duration={}ms (list {} ms, inspect and map {} ms, etcd {} ms)",
                    running.size(), changes.puts(), changes.pending(), ms, (listed - started) / 1_000_000,
                    (derived - listed) / 1_000_000, (System.nanoTime() - derived) / 1_000_000);
        } else if (changes.puts() + changes.deletes() + changes.pending() > 0) {
            LOG.info("reconciled containers={} registered={} puts={} deletes={} pending={} duration={}ms",
                    running.size(), registry.containers(), changes.puts(), changes.deletes(), changes.pending(), ms);
        } else {
            LOG.debug("reconciled containers={} registered={} no changes duration={}ms (list {} ms, inspect and map {} ms, etcd {} ms)",
                    running.size(), registry.containers(), ms, (listed - started) / 1_000_000, (derived - listed) / 1_000_000,
                    (System.nanoTime() - derived) / 1_000_000);
        }
    }
}
