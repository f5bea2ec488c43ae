package io.github.camelregistrator.reconcile;

import java.util.List;
import java.util.function.Function;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.github.camelregistrator.check.CheckGate;
import io.github.camelregistrator.layout.Entry;
import io.github.camelregistrator.layout.Layouts;
import io.github.camelregistrator.observe.Mapped;
import io.github.camelregistrator.observe.Registrations;
import io.github.camelregistrator.service.BadMetadataException;
import io.github.camelregistrator.service.ContainerServices;
import io.github.camelregistrator.service.Names;
import io.github.camelregistrator.service.ServiceMapper;
import io.github.camelregistrator.service.Skip;
import io.github.camelregistrator.service.LargeValues;
import io.github.camelregistrator.service.Warnings;

/**
 * Inspect data to etcd entries: services by the mapping rules, then every active layout.
 * A container whose metadata is refused contributes nothing, with one warning.
 */
public class ContainerEntries {
    private final ServiceMapper mapper;
    private final Layouts layouts;
    private final Warnings warnings = new Warnings();
    private final java.util.Map<String, Integer> services = new java.util.concurrent.ConcurrentHashMap<>();
    /** Containers whose last inspect found them running. */
    private final java.util.Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Active health checks (SERVICE_CHECK_*); null: none. */
    private volatile CheckGate checks;
    /** Where each sync is recorded for /observe/registrations; null: nowhere. */
    private volatile Registrations registrations;

    private final Function<String, InspectContainerResponse> inspector;
    private final SharedNetworks shared = new SharedNetworks();

    public ContainerEntries(ServiceMapper mapper, Layouts layouts) {
        this(mapper, layouts, id -> null);
    }

    /** @param inspector inspects another container (one whose network a container shares); null when gone */
    public ContainerEntries(ServiceMapper mapper, Layouts layouts, Function<String, InspectContainerResponse> inspector) {
        this.mapper = mapper;
        this.layouts = layouts;
        this.inspector = inspector;
    }

    /**
     * @param entries null when the container keeps what it registered before
     * @param version this sync's number (see {@link #version})
     * @param standalone mapped from its own inspect alone: no other container's network, no
     *                   active check, no refused metadata; a full pass may reuse it
     */
    public record Result(ContainerServices services, List<Entry> entries, long version, boolean standalone) {
        public Result(ContainerServices services, List<Entry> entries) {
            this(services, entries, 0, false);
        }

        public boolean retained() {
            return entries == null;
        }
    }

    /** Every sync, die and removal of a container takes the next number. */
    private final java.util.concurrent.atomic.AtomicLong syncs = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.Map<String, Long> versions = new java.util.concurrent.ConcurrentHashMap<>();

    /** The number of the container's last sync, die or removal; 0 when none is known. */
    public long version(String containerId) {
        return versions.getOrDefault(containerId, 0L);
    }

    private long synced(String containerId) {
        long v = syncs.incrementAndGet();
        versions.put(containerId, v);
        return v;
    }

    public void observe(Registrations registrations) {
        this.registrations = registrations;
    }

    /** Services are held back while their active health check does not pass. */
    public void checkedBy(CheckGate checks) {
        this.checks = checks;
    }

    /** A die event, taken at its word: recorded as stopped (or kept, under deregister=on-success). */
    public void died(String containerId, String name, String exitCode) {
        synced(containerId);
        forgetChecks(containerId);
        Registrations seen = registrations;
        if (seen != null) {
            boolean kept = keepsFailed() && exitCode != null && !"0".equals(exitCode);
            seen.synced(Mapped.stopped(containerId, name, Skip.stopped(exitCode, kept)), Registrations.EVENT);
        }
    }

    /** Containers that share another's network, followed on that one's events. */
    public SharedNetworks sharedNetworks() {
        return shared;
    }

    /** The container is gone: forget its warnings and services. */
    public void gone(String containerId) {
        versions.remove(containerId);
        forgetChecks(containerId);
        shared.forget(containerId);
        warnings.forget(containerId);
        services.remove(containerId);
        running.remove(containerId);
    }

    /** Whether it still counts here: synced since its start and not gone, or kept after a failure. */
    public boolean holds(String containerId) {
        return services.containsKey(containerId);
    }

    /** Whether its last inspect found it running (and no die or 404 came since). */
    public boolean running(String containerId) {
        return running.contains(containerId);
    }

    /** Services of the containers seen last, for the registered-services gauge. */
    public int services() {
        return services.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * Forgets the containers a full pass no longer saw.
     *
     * @param listedNanos when the pass began to list (System.nanoTime()): checks declared since stay
     */
    public void retainOnly(java.util.Set<String> containerIds, long listedNanos) {
        shared.retainOnly(containerIds);
        services.keySet().retainAll(containerIds);
        running.retainAll(containerIds);
        versions.keySet().retainAll(containerIds);
        CheckGate gate = checks;
        if (gate != null) {
            gate.checks().retainOnly(containerIds, listedNanos);
        }
        Registrations seen = registrations;
        if (seen != null) {
            seen.passed(containerIds);
        }
    }

    private void forgetChecks(String containerId) {
        CheckGate gate = checks;
        if (gate != null) {
            gate.checks().forget(containerId);
        }
    }

    public boolean keepsFailed() {
        return mapper.keepsFailed();
    }

    /** @param inspect null when the container is gone */
    public Result of(String containerId, InspectContainerResponse inspect) {
        return of(containerId, inspect, Registrations.EVENT);
    }

    /**
     * @param inspect null when the container is gone
     * @param trigger what asked for this sync, as /observe/registrations reports it
     */
    public Result of(String containerId, InspectContainerResponse inspect, String trigger) {
        Registrations seen = registrations;
        long version = synced(containerId);
        if (inspect == null) {
            gone(containerId);
            if (seen != null) {
                seen.gone(containerId);
            }
            return new Result(ContainerServices.none(containerId), List.of());
        }
        if (inspect.getState() != null && Boolean.TRUE.equals(inspect.getState().getRunning())) {
            running.add(containerId);
        } else {
            running.remove(containerId);
        }
        try {
            String owner = mapper.networkContainer(inspect);
            // level-triggered too: the container whose network it shares is inspected anew each time
            InspectContainerResponse ownerInspect = owner == null ? null : inspector.apply(owner);
            if (owner != null) {
                shared.uses(containerId, ownerInspect != null ? ownerInspect.getId() : owner);
            }
            ContainerServices mapped = mapper.map(inspect, ownerInspect);
            CheckGate gate = checks;
            if (gate != null) {
                mapped = gate.apply(inspect, mapped, ref -> ref.equals(owner) ? ownerInspect : inspector.apply(ref));
            }
            if (mapped.container() != null && !mapped.container().dropped().isEmpty()) {
                warnings.note(containerId, mapped.container().name(), "value over " + LargeValues.LIMIT
                        + " characters dropped: " + String.join(", ", mapped.container().dropped()));
            }
            java.util.Map<String, List<Entry>> byLayout = mapped.retain() ? null : layouts.renderByLayout(mapped);
            boolean standalone = owner == null && (gate == null || gate.checks().views(containerId).isEmpty());
            Result result = new Result(mapped, byLayout == null ? null
                    : byLayout.values().stream().flatMap(List::stream).toList(), version, standalone);
            if (seen != null) {
                seen.synced(Mapped.of(containerId, inspect, mapped, byLayout), trigger);
            }
            if (!mapped.retain()) {
                services.put(containerId, mapped.services().size());
            }
            return result;
        } catch (BadMetadataException e) {
            String name = inspect.getName() == null ? containerId : Names.containerName(inspect.getName());
            warnings.warn(containerId, name, e.getMessage());
            services.remove(containerId);
            ContainerServices skipped = ContainerServices.skipped(containerId, Skip.Kind.BAD_METADATA, e.getMessage());
            if (seen != null) {
                seen.synced(Mapped.of(containerId, inspect, skipped, java.util.Map.of()), trigger);
            }
            return new Result(skipped, List.of());
        }
    }
}
