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
import io.github.camelregistrator.service.SwarmServiceMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full pass: list what runs, inspect it in parallel, derive every entry, and let the
 * registry write only the difference. The timer's passes inspect only what the list shows
 * changed since its last inspect (or was synced by an event since), and everything at least
 * every tenth pass. Passes never overlap; a pass asked for while one runs
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
    private volatile boolean inspectAll = true;
    /** A container's last inspected mapping, for the timer's passes; each is inspected again at least every MAX_REUSES passes. */
    private final Map<String, Mapping> mappings = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_REUSES = 9;

    private record Mapping(String listed, long version, List<Entry> entries, int reuses) {
        Mapping reused() {
            return new Mapping(listed, version, entries, reuses + 1);
        }
    }

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

    /**
     * Runs a full pass that inspects every container: at start-up, after Docker or etcd came
     * back; a failed one (Docker or etcd unreachable) is tried again after a backoff.
     */
    public void reconcile() {
        inspectAll = true;
        run();
    }

    /** The timer's pass: a container whose list entry has not changed since it was last inspected keeps that mapping. */
    public void resync() {
        run();
    }

    private void run() {
        again = true;
        while (again) {
            if (!running.compareAndSet(false, true)) {
                return;
            }
            try {
                again = false;
                boolean all = inspectAll;
                inspectAll = false;
                // a failed pass is retried through reconcile(), which inspects all again
                pass(all);
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

    private void pass(boolean inspectAll) throws Exception {
        long started = System.nanoTime();
        long stamp = registry.stamp();
        // stopped containers matter only when a failed one keeps its entries
        List<Container> running = docker.listContainersCmd().withShowAll(entries.keepsFailed()).exec();
        List<CompletableFuture<Map.Entry<String, List<Entry>>>> inspects = new ArrayList<>();
        int reused = 0;
        for (Container c : running) {
            String id = c.getId();
            String listed = ListedState.of(c);
            Mapping last = inspectAll ? null : mappings.get(id);
            if (last != null && last.reuses() < MAX_REUSES && last.listed().equals(listed)
                    && entries.version(id) == last.version()) {
                // nothing it maps from changed, and no event synced it since
                mappings.put(id, last.reused());
                inspects.add(CompletableFuture.completedFuture(new java.util.AbstractMap.SimpleEntry<>(id, last.entries())));
                reused++;
                continue;
            }
            inspects.add(CompletableFuture.supplyAsync(() -> {
                ContainerEntries.Result r = entries.of(id, DockerClients.inspect(docker, id),
                        io.github.camelregistrator.observe.Registrations.RESYNC);
                if (r.standalone() && r.entries() != null) {
                    mappings.put(id, new Mapping(listed, r.version(), r.entries(), 0));
                } else {
                    mappings.remove(id);
                }
                return new java.util.AbstractMap.SimpleEntry<>(id, r.entries());
            }, inspectors));
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
        mappings.keySet().retainAll(snapshot.keySet());
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
                    running.size(), registeredContainers(), changes.puts(), changes.deletes(), changes.pending(), ms);
        } else {
            LOG.debug("reconciled containers={} registered={} no changes duration={}ms (list {} ms, inspect and map {} ms, etcd {} ms, unchanged {})",
                    running.size(), registeredContainers(), ms, (listed - started) / 1_000_000, (derived - listed) / 1_000_000,
                    (System.nanoTime() - derived) / 1_000_000, reused);
        }
    }

    /** Swarm services are owners in the same pass, but not containers. */
    private int registeredContainers() {
        return registry.owners(SwarmServiceMapper::isContainer);
    }
}
