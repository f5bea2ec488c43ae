package io.github.camelregistrator.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointVirtualIP;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;

/**
 * A swarm service, as a manager's {@code docker service inspect} shows it, made services: a pure
 * mapping, table-tested. Each target port of its published ports gives one service at the
 * service's VIP on the chosen network, the same on every manager ({@link Result#vips}); each
 * port published in ingress mode gives one at this host's advertise address and the published
 * port ({@link Result#ingress}). Names, tags and ignores come from the service's own labels
 * ({@code docker service create --label SERVICE_NAME=...}), which no task carries.
 */
public final class SwarmServiceMapper {
    /** Owner ids of swarm services in the desired state, apart from 64-hex container ids. */
    public static final String OWNER = "swarm-service:";

    /** Whether an owner id in the desired state is a swarm service rather than a container. */
    public static boolean isService(String owner) {
        return owner.startsWith(OWNER);
    }

    /** Whether an owner id in the desired state is a container. */
    public static boolean isContainer(String owner) {
        return !isService(owner);
    }

    /**
     * @param network registrator.network: the network whose VIP is registered (name, id or a 12+ prefix); null: the rule
     */
    public record Options(String hostId, String advertiseIp, String network, List<String> tags) {
    }

    /** What one swarm service gives; {@code skip} says why it gives nothing (null when it gives some). */
    public record Result(ContainerInfo info, List<Service> vips, List<Service> ingress, Skip skip) {
    }

    private SwarmServiceMapper() {
    }

    /**
     * @param networks network id to name, for the VIPs (which Docker lists by network id)
     */
    public static Result map(com.github.dockerjava.api.model.Service s, Map<String, String> networks, Options o) {
        var spec = s.getSpec();
        String name = spec == null || spec.getName() == null ? s.getId() : spec.getName();
        Map<String, String> labels = spec == null || spec.getLabels() == null ? Map.of() : spec.getLabels();
        String image = spec == null || spec.getTaskTemplate() == null || spec.getTaskTemplate().getContainerSpec() == null
                ? "" : String.valueOf(spec.getTaskTemplate().getContainerSpec().getImage());
        // the digest Docker pins is no part of the name a user gave
        image = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        ContainerInfo info = new ContainerInfo(s.getId(), name, image, name, o.hostId(), o.advertiseIp(), labels, labels,
                List.of(), new SwarmTask(name, s.getId(), null, null, null));
        Map<String, String> entries = Metadata.serviceEntries(null, labels);
        for (Map.Entry<String, String> e : entries.entrySet()) {
            if (e.getValue().length() > 1024 || e.getValue().indexOf('\0') >= 0) {
                throw new BadMetadataException("service label " + e.getKey() + " is " + e.getValue().length()
                        + " characters long or holds a NUL (at most 1024)");
            }
        }
        if (Metadata.forPort(entries, 0).get("ignore") != null) {
            return skipped(info, Skip.Kind.IGNORED, "SERVICE_IGNORE is set on the swarm service");
        }
        List<PortConfig> ports = ports(s);
        if (ports.isEmpty()) {
            return skipped(info, Skip.Kind.NO_PORTS, "the swarm service publishes no ports");
        }
        boolean dnsrr = spec != null && spec.getEndpointSpec() != null
                && spec.getEndpointSpec().getMode() == EndpointResolutionMode.DNSRR;
        Set<String> targets = new LinkedHashSet<>();
        ports.forEach(p -> targets.add(p.getTargetPort() + "/" + protocol(p)));
        boolean group = targets.size() > 1;
        List<Service> vips = new ArrayList<>();
        List<Service> ingress = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        String missed = null;
        for (PortConfig p : ports) {
            Metadata meta = Metadata.forPort(entries, p.getTargetPort());
            if (meta.get("ignore") != null) {
                continue;
            }
            String protocol = protocol(p);
            boolean udp = protocol.equals("udp");
            String serviceName = meta.get("name") != null ? meta.get("name") : name;
            if (group && !meta.fromPort("name")) {
                serviceName = serviceName + "-" + p.getTargetPort();
            }
            String suffix = ":" + p.getTargetPort() + (udp ? ":udp" : "");
            List<String> tags = PortServices.tags(meta.get("tags"), o.tags(), udp);
            if (!dnsrr && done.add(p.getTargetPort() + "/" + protocol)) {
                String[] vip = vip(s, networks, meta, o);
                if (vip[1] == null) {
                    missed = vip[2];
                } else {
                    // one key for the whole swarm: no host-id in it
                    String id = meta.get("id") != null ? meta.get("id") : "swarm:" + name + suffix;
                    vips.add(new Service(Names.segment(serviceName), Names.segment(id), vip[1], p.getTargetPort(),
                            p.getTargetPort(), protocol, tags, attributes(meta, name, "vip"), info,
                            new Networks.Choice(vip[0], vip[1], vip[2])));
                }
            }
            if (p.getPublishMode() != PortConfig.PublishMode.host && p.getPublishedPort() > 0) {
                // the routing mesh answers on every node at the published port: this host's own key
                String id = o.hostId() + ":swarm:" + name + ":" + p.getPublishedPort() + (udp ? ":udp" : "");
                ingress.add(new Service(Names.segment(serviceName), Names.segment(id), o.advertiseIp(),
                        p.getPublishedPort(), p.getTargetPort(), protocol, tags, attributes(meta, name, "ingress"), info));
            }
        }
        if (vips.isEmpty() && ingress.isEmpty()) {
            return missed != null ? skipped(info, Skip.Kind.NETWORK, missed)
                    : dnsrr ? skipped(info, Skip.Kind.NO_PORTS, "endpoint mode dnsrr has no VIP, and no port is published in ingress mode")
                    : skipped(info, Skip.Kind.IGNORED, "SERVICE_<port>_IGNORE on each of its " + targets.size() + " port(s)");
        }
        return new Result(info, List.copyOf(vips), List.copyOf(ingress), null);
    }

    /**
     * The VIP of one port: {@code {network, address, why}}; address null when there is none (then
     * {@code why} says why). The network: {@code SERVICE_<port>_NETWORK}, else {@code SERVICE_NETWORK}
     * (the service's labels), else registrator.network, else the first of its networks by name but
     * {@code ingress}, whose VIP belongs to the routing mesh.
     */
    private static String[] vip(com.github.dockerjava.api.model.Service s, Map<String, String> networks, Metadata meta,
                                Options o) {
        Map<String, String> byName = new TreeMap<>();
        Map<String, String> ids = new LinkedHashMap<>();
        EndpointVirtualIP[] vips = s.getEndpoint() == null ? null : s.getEndpoint().getVirtualIPs();
        for (EndpointVirtualIP v : vips == null ? new EndpointVirtualIP[0] : vips) {
            if (v.getNetworkID() == null || v.getAddr() == null || v.getAddr().isEmpty()) {
                continue;
            }
            String net = networks.getOrDefault(v.getNetworkID(), v.getNetworkID());
            String addr = v.getAddr().contains("/") ? v.getAddr().substring(0, v.getAddr().indexOf('/')) : v.getAddr();
            byName.put(net, addr);
            ids.put(net, v.getNetworkID());
        }
        String label = meta.get("network");
        String wanted = label != null ? label : o.network();
        if (wanted != null) {
            String by = label == null ? "registrator.network" : meta.fromPort("network") ? "SERVICE_<port>_NETWORK" : "SERVICE_NETWORK";
            for (var e : byName.entrySet()) {
                String id = ids.get(e.getKey());
                if (e.getKey().equals(wanted) || id.equals(wanted) || wanted.length() >= 12 && id.startsWith(wanted)) {
                    return new String[] {e.getKey(), e.getValue(), by};
                }
            }
            String named = label == null ? "network " + wanted + " of registrator.network" : "the network " + by + " names";
            return new String[] {null, null, "no VIP on " + named + " (it has VIPs on: "
                    + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())) + ")"};
        }
        for (var e : byName.entrySet()) {
            if (!e.getKey().equals(Networks.INGRESS)) {
                return new String[] {e.getKey(), e.getValue(), "the first of its networks by name, ingress left out"};
            }
        }
        return new String[] {null, null, (byName.isEmpty() ? "no VIP" : "no VIP but on ingress, which is never chosen")
                + ": attach the service to an overlay network (--network)"};
    }

    /** Docker's resolved ports (with the published port it chose), else the spec's. */
    private static List<PortConfig> ports(com.github.dockerjava.api.model.Service s) {
        PortConfig[] resolved = s.getEndpoint() == null ? null : s.getEndpoint().getPorts();
        if (resolved != null && resolved.length > 0) {
            return List.of(resolved);
        }
        var spec = s.getSpec() == null ? null : s.getSpec().getEndpointSpec();
        return spec == null || spec.getPorts() == null ? List.of() : spec.getPorts();
    }

    private static String protocol(PortConfig p) {
        return p.getProtocol() == null || p.getProtocol() == PortConfigProtocol.TCP ? "tcp"
                : p.getProtocol().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, String> attributes(Metadata meta, String service, String address) {
        Map<String, String> a = new TreeMap<>(meta.attributes());
        a.put("swarm_service", service);
        a.put("swarm_address", address);
        return a;
    }

    private static Result skipped(ContainerInfo info, Skip.Kind kind, String detail) {
        return new Result(info, List.of(), List.of(), Skip.of(kind, detail));
    }
}
