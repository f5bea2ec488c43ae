package io.github.camelregistrator.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports.Binding;

/** The ports of a container that are services, read from its inspect data. */
final class Ports {
    private Ports() {
    }

    /**
     * One port: its private side, and where it is published (host port 0 when it is not).
     *
     * @param hostIp the host address the port is bound to; null when bound to every address
     */
    record Port(int privatePort, String protocol, int hostPort, String hostIp) {
        boolean udp() {
            return "udp".equals(protocol);
        }
    }

    /** Published ports (or, in internal mode, exposed ones), sorted for a stable order. */
    static List<Port> of(InspectContainerResponse inspect, boolean internal) {
        Map<String, Port> ports = new TreeMap<>();
        String networkMode = inspect.getHostConfig() == null ? null : inspect.getHostConfig().getNetworkMode();
        ExposedPort[] exposed = inspect.getConfig().getExposedPorts();
        if (exposed != null && "host".equals(networkMode)) {
            // with --net=host an exposed port is the host's own port
            for (ExposedPort e : exposed) {
                ports.put(key(e), new Port(e.getPort(), protocol(e), e.getPort(), null));
            }
        }
        var published = inspect.getNetworkSettings() == null ? null : inspect.getNetworkSettings().getPorts();
        if (published != null) {
            for (Map.Entry<ExposedPort, Binding[]> e : published.getBindings().entrySet()) {
                ports.put(key(e.getKey()), published(e.getKey(), e.getValue()));
            }
        }
        if (internal && exposed != null) {
            for (ExposedPort e : exposed) {
                ports.putIfAbsent(key(e), new Port(e.getPort(), protocol(e), 0, null));
            }
        }
        List<Port> out = new ArrayList<>();
        for (Port p : ports.values()) {
            if (internal || p.hostPort > 0) {
                out.add(p);
            }
        }
        out.sort(Comparator.comparingInt(Port::privatePort).thenComparing(Port::protocol));
        return out;
    }

    private static String key(ExposedPort e) {
        return e.getPort() + "/" + protocol(e);
    }

    private static String protocol(ExposedPort e) {
        return e.getProtocol() == null ? "tcp" : e.getProtocol().toString();
    }

    /** The first binding with a host port, and its host address; port 0 when it is exposed but not published. */
    private static Port published(ExposedPort e, Binding[] bindings) {
        if (bindings != null) {
            for (Binding b : bindings) {
                String spec = b.getHostPortSpec();
                if (spec != null && spec.matches("\\d{1,5}")) {
                    int port = Integer.parseInt(spec);
                    if (port > 0 && port < 65536) {
                        return new Port(e.getPort(), protocol(e), port, specific(b.getHostIp()));
                    }
                }
            }
        }
        return new Port(e.getPort(), protocol(e), 0, null);
    }

    /** A bound host address, or null for "every address" (empty, 0.0.0.0, ::) or anything not an IP literal. */
    private static String specific(String hostIp) {
        if (hostIp == null || hostIp.isBlank() || "0.0.0.0".equals(hostIp) || "::".equals(hostIp)
                || !Addresses.isLiteral(hostIp)) {
            return null;
        }
        return hostIp;
    }
}
