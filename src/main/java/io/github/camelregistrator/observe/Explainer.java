package io.github.camelregistrator.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import io.github.camelregistrator.check.CheckGate;
import io.github.camelregistrator.docker.DockerClients;
import io.github.camelregistrator.etcd.Registry;
import io.github.camelregistrator.health.Causes;
import io.github.camelregistrator.layout.Entry;
import io.github.camelregistrator.layout.Layouts;
import io.github.camelregistrator.service.BadMetadataException;
import io.github.camelregistrator.service.ContainerServices;
import io.github.camelregistrator.service.ServiceMapper;
import io.github.camelregistrator.service.Skip;
import io.github.camelregistrator.service.SwarmServiceMapper;

/**
 * Explains the containers of this host: what the mapping made of each (as the registrator last
 * synced it, or computed now from Docker), joined with what etcd holds now and, inside the
 * registrator, what its work queue still has to deliver.
 */
public final class Explainer {
    private final DockerClient docker;
    private final ServiceMapper mapper;
    private final Layouts layouts;
    private final EtcdView etcd;
    private final Registrations records;
    private final Function<String, Registry.Waiting> waiting;
    private final boolean dryRun;
    private volatile CheckGate checks;

    /**
     * @param records what the registrator synced; null when explain computes everything itself
     * @param waiting the registrator's queue; null outside it
     */
    public Explainer(DockerClient docker, ServiceMapper mapper, Layouts layouts, EtcdView etcd, Registrations records,
                     Function<String, Registry.Waiting> waiting, boolean dryRun) {
        this.docker = docker;
        this.mapper = mapper;
        this.layouts = layouts;
        this.etcd = etcd;
        this.records = records;
        this.waiting = waiting;
        this.dryRun = dryRun;
    }

    /** Shows each container's active health checks, and holds back what they hold back. */
    public Explainer checkedBy(CheckGate checks) {
        this.checks = checks;
        return this;
    }

    /** Every container Docker knows on this host, stopped ones too, by name. */
    public List<Explanation> all() {
        Instant started = Instant.now();
        List<Container> listed = docker.listContainersCmd().withShowAll(true).exec();
        Set<String> ids = new HashSet<>();
        List<Explanation> out = new ArrayList<>();
        for (Container c : listed) {
            ids.add(c.getId());
            Registrations.Synced synced = records == null ? null : records.get(c.getId());
            if (synced != null) {
                out.add(explain(synced.mapped(), c.getImage(), synced));
            } else {
                InspectContainerResponse inspect = DockerClients.inspect(docker, c.getId());
                if (inspect != null) {
                    out.add(explain(compute(inspect), c.getImage(), null));
                }
            }
        }
        if (records != null) {
            // swarm services (registrator.swarm-services) are listed beside the containers
            for (Registrations.Synced synced : records.all()) {
                if (synced.mapped().id().startsWith(SwarmServiceMapper.OWNER)) {
                    ids.add(synced.mapped().id());
                    out.add(explain(synced.mapped(), null, synced));
                }
            }
            records.retainOnly(ids, started);
        }
        out.sort(Comparator.comparing(Explanation::name));
        return out;
    }

    /** One container by name or id (or a unique id prefix, as docker inspect takes); null when unknown. */
    public Explanation one(String nameOrId) {
        InspectContainerResponse inspect = DockerClients.inspect(docker, nameOrId);
        if (inspect == null) {
            Registrations.Synced service = records == null ? null : records.all().stream()
                    .filter(s -> s.mapped().id().startsWith(SwarmServiceMapper.OWNER) && (s.mapped().name().equals(nameOrId)
                            || s.mapped().id().equals(SwarmServiceMapper.OWNER + nameOrId)))
                    .findFirst().orElse(null);
            return service == null ? null : explain(service.mapped(), null, service);
        }
        String image = inspect.getConfig() == null ? null : inspect.getConfig().getImage();
        Registrations.Synced synced = records == null ? null : records.get(inspect.getId());
        return synced != null ? explain(synced.mapped(), image, synced) : explain(compute(inspect), image, null);
    }

    /** The mapping and the layouts, run now on fresh inspect data. */
    private Mapped compute(InspectContainerResponse inspect) {
        String id = inspect.getId();
        try {
            ContainerServices services = mapper.map(inspect);
            CheckGate gate = checks;
            if (gate != null) {
                services = gate.apply(inspect, services, ref -> DockerClients.inspect(docker, ref));
            }
            return Mapped.of(id, inspect, services, services.retain() ? null : layouts.renderByLayout(services));
        } catch (BadMetadataException e) {
            return Mapped.of(id, inspect, ContainerServices.skipped(id, Skip.Kind.BAD_METADATA, e.getMessage()), Map.of());
        }
    }

    private Explanation explain(Mapped m, String image, Registrations.Synced synced) {
        CheckGate gate = checks;
        Explanation e = explainKeys(m, image, synced);
        return gate == null ? e : e.withChecks(gate.checks().views(m.id()));
    }

    private Explanation explainKeys(Mapped m, String image, Registrations.Synced synced) {
        String at = synced == null ? null : synced.at().toString();
        String trigger = synced == null ? null : synced.trigger();
        String shownImage = m.image() != null ? m.image() : image;
        Skip skip = m.skip();
        if (skip != null && (skip.kind() == Skip.Kind.STOPPED || skip.kind() == Skip.Kind.KEPT)) {
            return new Explanation(m.name(), m.id(), shownImage, Explanation.STOPPED, skip.detail(), null, null,
                    m.services(), Map.of(), at, trigger, m.swarm());
        }
        if (skip != null) {
            String state = skip.kind() == Skip.Kind.UNHEALTHY || skip.kind() == Skip.Kind.FAILING_CHECK
                    ? Explanation.UNHEALTHY : Explanation.SKIPPED;
            String reason = skip.kind() == Skip.Kind.BAD_METADATA ? "bad metadata: " + skip.detail() : skip.detail();
            return new Explanation(m.name(), m.id(), shownImage, state, reason, null, null, m.services(), Map.of(), at,
                    trigger, m.swarm());
        }
        List<String> keys = new ArrayList<>();
        m.layouts().values().forEach(entries -> entries.forEach(e -> keys.add(e.key())));
        Map<String, EtcdView.Held> held;
        String unread = null;
        try {
            held = etcd.read(keys);
        } catch (Exception e) {
            held = Map.of();
            unread = "unread: " + Causes.message(e);
        }
        long lease = etcd.lease();
        Map<String, List<Explanation.Key>> byLayout = new LinkedHashMap<>();
        String error = null;
        long retryIn = -1;
        int missing = 0;
        for (Map.Entry<String, List<Entry>> layout : m.layouts().entrySet()) {
            List<Explanation.Key> out = byLayout.computeIfAbsent(layout.getKey(), k -> new ArrayList<>());
            for (Entry e : layout.getValue()) {
                Registry.Waiting w = waiting == null ? null : waiting.apply(e.key());
                String where = unread != null ? unread : where(e, held.get(e.key()), lease);
                boolean ok = where.startsWith("held");
                out.add(new Explanation.Key(e.key(), e.value(), ok, where, waiting == null ? null : w != null));
                if (!ok) {
                    missing++;
                    if (error == null) {
                        error = w != null && w.error() != null ? w.error() : "etcd: " + where + " at " + e.key();
                    }
                }
                if (w != null && w.error() != null) {
                    retryIn = retryIn < 0 ? w.retryInMs() : Math.min(retryIn, w.retryInMs());
                }
            }
        }
        if (missing == 0) {
            return new Explanation(m.name(), m.id(), shownImage, Explanation.REGISTERED, null, null, null, m.services(),
                    byLayout, at, trigger, m.swarm());
        }
        if (waiting == null) {
            // explain alone: nothing waits, and the keys it computed rest on options it assumed, so no etcd error
            return new Explanation(m.name(), m.id(), shownImage, Explanation.UNREGISTERED, missing + " of its " + keys.size()
                    + " key(s) not in etcd as computed here (see the options assumed below)", null, null, m.services(),
                    byLayout, at, trigger, m.swarm());
        }
        if (dryRun) {
            error = "dry-run: registrator.dry-run=true writes nothing";
        }
        String reason = missing + " of its " + keys.size() + " key(s) not yet held in etcd as wanted";
        String next = retryIn < 0 ? null : Instant.now().plusMillis(retryIn).toString();
        return new Explanation(m.name(), m.id(), shownImage, Explanation.PENDING, reason, error, next, m.services(),
                byLayout, at, trigger, m.swarm());
    }

    /** What etcd holds at the key, against what this host wants there. */
    private static String where(Entry want, EtcdView.Held held, long lease) {
        if (held == null) {
            return "missing";
        }
        boolean ours = lease != 0 && held.lease() == lease;
        if (held.value().equals(want.value())) {
            // a shared key (a vulcand backend) is held by whichever host wrote it first
            return ours ? "held" : want.shared() ? "held by another host (shared key)" : "other lease";
        }
        return ours ? "other value" : "other value, other lease";
    }
}
