package io.github.camelregistrator.service;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.dockerjava.api.command.InspectContainerResponse;

/**
 * The ports of a running, registrable container made services: each one's name, id and
 * address, by gliderlabs/registrator's rules, and in internal mode on the network chosen by
 * {@link Networks}. A swarm task's services are named after its swarm service and keyed by
 * its slot ({@link SwarmTask}).
 */
final class PortServices {
    private final ServiceMapper.Options options;

    PortServices(ServiceMapper.Options options) {
        this.options = options;
    }

    /**
     * @param entries   its SERVICE_* labels and variables
     * @param labelIp   the address of registrator.use-ip-from-label, or null
     * @param addressed internal mode: the container whose networks give the address (itself, or
     *                  the one whose network it shares); null outside internal mode
     */
    ContainerServices map(ContainerInfo info, Map<String, String> entries, List<Ports.Port> ports, String labelIp,
                          InspectContainerResponse addressed) {
        List<Service> services = new ArrayList<>();
        boolean group = ports.size() > 1;
        int unnamed = 0;
        Networks.Choice missed = null;
        for (Ports.Port port : ports) {
            Metadata meta = Metadata.forPort(entries, port.privatePort());
            if (meta.get("ignore") != null) {
                continue;
            }
            String serviceName = meta.get("name");
            if (serviceName == null) {
                if (options.explicit()) {
                    unnamed++;
                    continue;
                }
                // a swarm task is named after its service, not its image
                serviceName = info.swarm() != null ? info.swarm().service() : ServiceMapper.defaultName(info.image());
            }
            if (group && !meta.fromPort("name")) {
                serviceName = serviceName + "-" + port.privatePort();
            }
            // a task by its slot (web.2), so the task that replaces it takes its keys over
            String instance = info.swarm() != null ? info.swarm().instance() : info.name();
            String serviceId = meta.get("id") != null ? meta.get("id")
                    : options.hostId() + ":" + instance + ":" + port.privatePort() + (port.udp() ? ":udp" : "");
            String ip;
            int servicePort;
            Networks.Choice network = null;
            if (addressed != null) {
                network = network(addressed, meta);
                if (!network.found()) {
                    missed = network;
                    continue;
                }
                ip = network.ip();
                servicePort = port.privatePort();
            } else {
                // as gliderlabs: the label, else an advertise IP given, else the host address the port is bound to
                ip = labelIp != null ? labelIp
                        : port.hostIp() != null && !options.advertiseIpSet() ? port.hostIp() : options.advertiseIp();
                servicePort = port.hostPort();
            }
            services.add(new Service(Names.segment(serviceName), Names.segment(serviceId), ip, servicePort,
                    port.privatePort(), port.protocol(), tags(meta.get("tags"), options.tags(), port.udp()),
                    attributes(meta, info.swarm()), info, network));
        }
        Skip skip = null;
        if (services.isEmpty()) {
            skip = missed != null ? Skip.of(Skip.Kind.NETWORK, "internal mode: " + missed.why())
                    : Skip.noService(ports.size(), unnamed, options.internal());
        }
        return new ContainerServices(info, List.copyOf(services), false, skip);
    }

    /**
     * The network of one port: {@code SERVICE_<port>_NETWORK}, else {@code SERVICE_NETWORK}, else
     * registrator.network, else the default rule. Only the default rule's miss is bad metadata
     * (the container has no address at all); a named network it is not on skips the port.
     */
    private Networks.Choice network(InspectContainerResponse addressed, Metadata meta) {
        String label = meta.get("network");
        Networks.Choice c = label != null
                ? Networks.choose(addressed, label, meta.fromPort("network") ? "SERVICE_<port>_NETWORK" : "SERVICE_NETWORK", false)
                : Networks.choose(addressed, options.network(), "registrator.network", true);
        if (!c.found() && label == null && options.network() == null) {
            throw new BadMetadataException("internal mode but the container has " + c.why());
        }
        return c;
    }

    /** Its SERVICE_* attributes, and a task's swarm service, task id and slot, which Docker's labels set. */
    private static Map<String, String> attributes(Metadata meta, SwarmTask swarm) {
        Map<String, String> attributes = meta.attributes();
        if (swarm != null) {
            attributes = new java.util.TreeMap<>(attributes);
            attributes.putAll(swarm.attributes());
        }
        return attributes;
    }

    static List<String> tags(String tags, List<String> forced, boolean udp) {
        Set<String> out = new LinkedHashSet<>();
        if (tags != null) {
            for (String t : tags.split(",")) {
                if (!t.isBlank()) {
                    out.add(t.trim());
                }
            }
        }
        out.addAll(forced);
        if (udp) {
            out.add("udp");
        }
        return List.copyOf(out);
    }
}
