package io.github.camelregistrator.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import io.github.camelregistrator.docker.DockerEventsConsumer;
import io.github.camelregistrator.health.Causes;
import io.github.camelregistrator.health.Fault;
import io.github.camelregistrator.layout.Entry;
import io.github.camelregistrator.layout.Layouts;
import io.github.camelregistrator.observe.Mapped;
import io.github.camelregistrator.observe.Registrations;
import io.github.camelregistrator.service.BadMetadataException;
import io.github.camelregistrator.service.ContainerServices;
import io.github.camelregistrator.service.Names;
import io.github.camelregistrator.service.Service;
import io.github.camelregistrator.service.Skip;
import io.github.camelregistrator.service.SwarmServiceMapper;
import io.github.camelregistrator.service.Warnings;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.docker.DockerConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * registrator.swarm-services on a manager: each swarm service's entries, from Docker's service
 * events (routes/swarm-services.yaml) and from the full pass. The VIP's keys are the same on every
 * manager, so they are shared keys (see etcd/SharedKeys): each has one member key per manager that
 * wants it, {@code <bookkeeping>swarm-services/<service-id>/<the key, as one segment>/<host-id>}, under
 * that manager's lease, and lives while any of them does. Members are per key, not per service: a
 * key a port update leaves behind has none left once every manager has seen the update. Ingress ports are this host's own keys. In the
 * desired state a service is an owner like a container, {@code swarm-service:<id>}.
 */
public class SwarmServices {
    private static final Logger LOG = LoggerFactory.getLogger("registrator");
    /** The layout name explain shows the member key under. */
    static final String MEMBERS_LAYOUT = "swarm-services";

    private final DockerClient docker;
    private final Layouts layouts;
    private final SwarmServiceMapper.Options options;
    private final String members;
    private final Warnings warnings = new Warnings();
    /** Owners with entries now, with the service's name: a failed listing keeps what they had. */
    private final Map<String, String> known = new ConcurrentHashMap<>();
    private final Fault listing = new Fault("swarm services not listed (registrator.swarm-services)");
    private volatile Registrations registrations;

    /** @param members the members' prefix of every service, {@code <bookkeeping>swarm-services/} */
    public SwarmServices(DockerClient docker, Layouts layouts, SwarmServiceMapper.Options options, String members) {
        this.docker = docker;
        this.layouts = layouts;
        this.options = options;
        this.members = members;
    }

    public void observe(Registrations registrations) {
        this.registrations = registrations;
    }

    /** Route step: one service's entries, inspected now (404: removed, no entries). */
    public void map(Exchange exchange) {
        Message m = exchange.getMessage();
        String id = m.getHeader(DockerEventsConsumer.SERVICE_ID, String.class);
        com.github.dockerjava.api.model.Service service;
        try {
            service = docker.inspectServiceCmd(id).exec();
        } catch (NotFoundException gone) {
            service = null;
        }
        String owner = SwarmServiceMapper.OWNER + id;
        m.setHeader(DockerConstants.DOCKER_CONTAINER_ID, owner);
        // a removed service is named as it was last seen
        m.setHeader(ContainerSync.NAME, service == null || service.getSpec() == null ? known.getOrDefault(owner, id)
                : service.getSpec().getName());
        m.setBody(service == null ? gone(owner) : entries(service, networks(), Registrations.EVENT));
    }

    /** One line per service whose registration changed. */
    public void report(Exchange exchange) {
        io.github.camelregistrator.etcd.Registry.Changes changes = exchange.getMessage().getBody(
                io.github.camelregistrator.etcd.Registry.Changes.class);
        String name = exchange.getMessage().getHeader(ContainerSync.NAME, String.class);
        if (changes != null && changes.puts() > 0) {
            LOG.info("registered swarm-service={}", name);
        } else if (changes != null && changes.deletes() > 0) {
            LOG.info("deregistered swarm-service={}", name);
        }
    }

    /**
     * The full pass's part: every service's entries by owner. When Docker refuses the listing (this
     * node was demoted, or left the swarm), one bounded warning, and the services keep what they had.
     */
    public Map<String, List<Entry>> all() {
        Map<String, List<Entry>> out = new HashMap<>();
        List<com.github.dockerjava.api.model.Service> listed;
        Map<String, String> networks;
        try {
            listed = docker.listServicesCmd().exec();
            networks = networks();
            listing.cleared();
        } catch (RuntimeException e) {
            listing.occurred(Causes.message(e));
            known.keySet().forEach(owner -> out.put(owner, null));
            return out;
        }
        for (com.github.dockerjava.api.model.Service s : listed) {
            out.put(SwarmServiceMapper.OWNER + s.getId(), entries(s, networks, Registrations.RESYNC));
        }
        known.keySet().stream().filter(owner -> !out.containsKey(owner)).toList().forEach(this::gone);
        return out;
    }

    /** Overlay networks by id, to name the VIPs (Docker lists a VIP by its network's id). */
    private Map<String, String> networks() {
        Map<String, String> byId = new HashMap<>();
        for (Network n : docker.listNetworksCmd().withFilter("driver", List.of("overlay")).exec()) {
            byId.put(n.getId(), n.getName());
        }
        return byId;
    }

    private List<Entry> gone(String owner) {
        known.remove(owner);
        warnings.forget(owner);
        Registrations seen = registrations;
        if (seen != null) {
            seen.gone(owner);
        }
        return List.of();
    }

    List<Entry> entries(com.github.dockerjava.api.model.Service service, Map<String, String> networks, String trigger) {
        String owner = SwarmServiceMapper.OWNER + service.getId();
        String name = service.getSpec() == null ? service.getId() : service.getSpec().getName();
        SwarmServiceMapper.Result r;
        Map<String, List<Entry>> byLayout = new LinkedHashMap<>();
        try {
            r = SwarmServiceMapper.map(service, networks, options);
            if (!r.vips().isEmpty()) {
                String prefix = members + Names.segment(service.getId()) + "/";
                List<Entry> memberKeys = new ArrayList<>();
                // the VIP's keys are every manager's: each shared, with one member per manager that wants it
                layouts.renderByLayout(new ContainerServices(r.info(), r.vips())).forEach((layout, entries) -> {
                    List<Entry> out = byLayout.computeIfAbsent(layout, k -> new ArrayList<>());
                    for (Entry e : entries) {
                        if (e.shared()) {
                            out.add(e);
                            continue;
                        }
                        String keyMembers = prefix + Names.segment(e.key()) + "/";
                        out.add(new Entry(e.key(), e.value(), keyMembers));
                        memberKeys.add(new Entry(keyMembers + Names.segment(options.hostId()), options.advertiseIp()));
                    }
                });
                byLayout.put(MEMBERS_LAYOUT, memberKeys);
            }
            if (!r.ingress().isEmpty()) {
                layouts.renderByLayout(new ContainerServices(r.info(), r.ingress())).forEach((layout, entries) ->
                        byLayout.computeIfAbsent(layout, k -> new ArrayList<>()).addAll(entries));
            }
        } catch (BadMetadataException e) {
            warnings.warn(owner, name, e.getMessage());
            record(owner, name, null, Skip.of(Skip.Kind.BAD_METADATA, e.getMessage()), List.of(), Map.of(), trigger);
            known.remove(owner);
            return List.of();
        }
        List<Service> services = new ArrayList<>(r.vips());
        services.addAll(r.ingress());
        record(owner, name, r.info().image(), r.skip(), services, byLayout, trigger);
        List<Entry> out = byLayout.values().stream().flatMap(List::stream).toList();
        if (out.isEmpty()) {
            known.remove(owner);
        } else {
            known.put(owner, name);
        }
        return out;
    }

    private void record(String owner, String name, String image, Skip skip, List<Service> services,
                        Map<String, List<Entry>> byLayout, String trigger) {
        Registrations seen = registrations;
        if (seen != null) {
            seen.synced(Mapped.swarmService(owner, name, image, skip, services, byLayout), trigger);
        }
    }
}
