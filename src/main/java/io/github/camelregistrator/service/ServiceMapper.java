package io.github.camelregistrator.service;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;

/**
 * Turns a container's inspect data into its services, by gliderlabs/registrator's rules:
 * every published port is a service, named after the image (suffixed with the private port
 * when there are several), overridable by {@code SERVICE_*} labels and env.
 */
public class ServiceMapper {
    /** Longest SERVICE_* value accepted; larger ones are refused, not truncated. */
    static final int MAX_VALUE = 1024;

    /** Label with which one container asks for, or out of, health-gated registration. */
    public static final String REQUIRE_HEALTHY_LABEL = "registrator.require-healthy";

    /**
     * The mapping rules.
     *
     * @param names          only containers whose name matches are registered (null: all)
     * @param tags           tags forced onto every service
     * @param ipLabel        a label whose value, when set, replaces the advertised address (null: none)
     * @param requireHealthy a container with a health check is registered only while healthy
     * @param keepFailed     deregister=on-success: a container that exited non-zero keeps its entries
     */
    public record Options(String hostId, String advertiseIp, boolean explicit, boolean internal,
                          java.util.regex.Pattern names, List<String> tags, String ipLabel,
                          boolean requireHealthy, boolean keepFailed) {

        public Options(String hostId, String advertiseIp, boolean explicit, boolean internal) {
            this(hostId, advertiseIp, explicit, internal, null, List.of(), null, false, false);
        }
    }

    private final Options options;
    private final String hostId;
    private final boolean explicit;
    private final boolean internal;

    public ServiceMapper(Options options) {
        this.options = options;
        this.hostId = options.hostId();
        this.explicit = options.explicit();
        this.internal = options.internal();
    }

    public ServiceMapper(String hostId, String advertiseIp, boolean explicit, boolean internal) {
        this(new Options(hostId, advertiseIp, explicit, internal));
    }

    /** Whether stopped containers matter to this mapping (they do when failures keep their entries). */
    public boolean keepsFailed() {
        return options.keepFailed();
    }

    /**
     * The services of a container; none when it is not running, paused or ignored.
     *
     * @throws BadMetadataException when its metadata cannot be registered safely
     */
    public ContainerServices map(InspectContainerResponse inspect) {
        String id = inspect.getId();
        var state = inspect.getState();
        var config = inspect.getConfig();
        String name = inspect.getName() == null ? id : Names.containerName(inspect.getName());
        if (config == null || state == null) {
            return ContainerServices.skipped(id, Skip.Kind.BAD_METADATA, "Docker gave no config or state");
        }
        if (options.names() != null && !options.names().matcher(name).matches()) {
            return ContainerServices.skipped(id, Skip.Kind.NAME_FILTER,
                    "its name does not match registrator.names=" + options.names().pattern());
        }
        if (!Boolean.TRUE.equals(state.getRunning())) {
            Long exit = state.getExitCodeLong();
            boolean failed = exit != null && exit != 0 && !Boolean.TRUE.equals(state.getRestarting());
            Skip why = Skip.stopped(exit, failed && options.keepFailed());
            return why.kind() == Skip.Kind.KEPT ? ContainerServices.retained(id, why)
                    : ContainerServices.skipped(id, why.kind(), why.detail());
        }
        Map<String, String> labels = config.getLabels() == null ? Map.of() : new TreeMap<>(config.getLabels());
        if (Boolean.TRUE.equals(state.getPaused())) {
            return ContainerServices.skipped(id, Skip.Kind.PAUSED, "paused");
        }
        if (!healthyEnough(state, labels)) {
            return ContainerServices.skipped(id, Skip.Kind.UNHEALTHY, "its health check says " + state.getHealth().getStatus()
                    + " and require-healthy holds it back until it says healthy");
        }
        Map<String, String> entries = Metadata.serviceEntries(config.getEnv(), config.getLabels());
        entries.forEach(ServiceMapper::checkValue);
        String advertiseIp = options.advertiseIp();
        if (options.ipLabel() != null && labels.get(options.ipLabel()) != null && !labels.get(options.ipLabel()).isBlank()) {
            advertiseIp = labels.get(options.ipLabel()).trim();
            if (!Addresses.isLiteral(advertiseIp)) {
                throw new BadMetadataException("label " + options.ipLabel() + " is not an IP address");
            }
        }
        ContainerInfo info = new ContainerInfo(id, name, String.valueOf(config.getImage()),
                String.valueOf(config.getHostName()), hostId, advertiseIp, labels, vars(config.getEnv(), labels));
        if (Metadata.forPort(entries, -1).get("ignore") != null) {
            return new ContainerServices(info, List.of(), false, Skip.of(Skip.Kind.IGNORED, "SERVICE_IGNORE is set"));
        }

        List<Port> ports = ports(inspect);
        List<Service> services = new ArrayList<>();
        String containerIp = internal ? containerIp(inspect) : null;
        boolean group = ports.size() > 1;
        int unnamed = 0;
        for (Port port : ports) {
            Metadata meta = Metadata.forPort(entries, port.privatePort);
            if (meta.get("ignore") != null) {
                continue;
            }
            String serviceName = meta.get("name");
            if (serviceName == null) {
                if (explicit) {
                    unnamed++;
                    continue;
                }
                serviceName = defaultName(info.image());
            }
            if (group && !meta.fromPort("name")) {
                serviceName = serviceName + "-" + port.privatePort;
            }
            String serviceId = hostId + ":" + name + ":" + port.privatePort + (port.udp() ? ":udp" : "");
            if (meta.get("id") != null) {
                serviceId = meta.get("id");
            }
            String ip;
            int servicePort;
            if (internal) {
                if (containerIp == null || containerIp.isEmpty()) {
                    throw new BadMetadataException("internal mode but the container has no IP address on its network");
                }
                ip = containerIp;
                servicePort = port.privatePort;
            } else {
                ip = advertiseIp;
                servicePort = port.hostPort;
            }
            services.add(new Service(Names.segment(serviceName), Names.segment(serviceId), ip, servicePort,
                    port.privatePort, port.protocol, tags(meta.get("tags"), options.tags(), port.udp()),
                    meta.attributes(), info));
        }
        return new ContainerServices(info, List.copyOf(services), false,
                services.isEmpty() ? Skip.noService(ports.size(), unnamed, internal) : null);
    }

    private static void checkValue(String key, String value) {
        if (value.length() > MAX_VALUE) {
            throw new BadMetadataException(key + " is " + value.length() + " characters long (at most " + MAX_VALUE + ")");
        }
        if (value.indexOf('\0') >= 0 || key.indexOf('\0') >= 0) {
            throw new BadMetadataException(key + " contains a NUL character");
        }
    }

    /** {@code registry:5000/team/app:1.2} and {@code app@sha256:..} both give {@code app}. */
    public static String defaultName(String image) {
        String base = image.substring(image.lastIndexOf('/') + 1);
        int at = base.indexOf('@');
        if (at >= 0) {
            base = base.substring(0, at);
        }
        int colon = base.indexOf(':');
        return colon >= 0 ? base.substring(0, colon) : base;
    }

    /**
     * With health gating on (globally, or by the container's label), a container that has a
     * health check counts only while Docker says it is healthy; one without counts as usual.
     */
    private boolean healthyEnough(com.github.dockerjava.api.command.InspectContainerResponse.ContainerState state,
                                  Map<String, String> labels) {
        String label = labels.get(REQUIRE_HEALTHY_LABEL);
        boolean required = label == null ? options.requireHealthy() : Boolean.parseBoolean(label.trim());
        return !required || state.getHealth() == null || "healthy".equals(state.getHealth().getStatus());
    }

    /** The environment with the labels laid over it, as descriptors are read. */
    private static Map<String, String> vars(String[] env, Map<String, String> labels) {
        Map<String, String> vars = new TreeMap<>();
        if (env != null) {
            for (String kv : env) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    vars.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        vars.putAll(labels);
        return vars;
    }

    private static List<String> tags(String tags, List<String> forced, boolean udp) {
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

    record Port(int privatePort, String protocol, int hostPort) {
        boolean udp() {
            return "udp".equals(protocol);
        }
    }

    /** Published ports (or, in internal mode, exposed ones), sorted for a stable order. */
    private List<Port> ports(InspectContainerResponse inspect) {
        Map<String, Port> ports = new TreeMap<>();
        String networkMode = inspect.getHostConfig() == null ? null : inspect.getHostConfig().getNetworkMode();
        ExposedPort[] exposed = inspect.getConfig().getExposedPorts();
        if (exposed != null && "host".equals(networkMode)) {
            // with --net=host an exposed port is the host's own port
            for (ExposedPort e : exposed) {
                add(ports, e, e.getPort());
            }
        }
        Ports published = inspect.getNetworkSettings() == null ? null : inspect.getNetworkSettings().getPorts();
        if (published != null) {
            for (Map.Entry<ExposedPort, Ports.Binding[]> e : published.getBindings().entrySet()) {
                add(ports, e.getKey(), hostPort(e.getValue()));
            }
        }
        if (internal && exposed != null) {
            for (ExposedPort e : exposed) {
                ports.putIfAbsent(key(e), new Port(e.getPort(), protocol(e), 0));
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

    private static void add(Map<String, Port> ports, ExposedPort e, int hostPort) {
        ports.put(key(e), new Port(e.getPort(), protocol(e), hostPort));
    }

    private static String key(ExposedPort e) {
        return e.getPort() + "/" + protocol(e);
    }

    private static String protocol(ExposedPort e) {
        return e.getProtocol() == null ? "tcp" : e.getProtocol().toString();
    }

    /** The first binding with a host port; 0 when the port is exposed but not published. */
    private static int hostPort(Ports.Binding[] bindings) {
        if (bindings == null) {
            return 0;
        }
        return Arrays.stream(bindings)
                .map(Ports.Binding::getHostPortSpec)
                .filter(s -> s != null && s.matches("\\d{1,5}"))
                .mapToInt(Integer::parseInt)
                .filter(p -> p > 0 && p < 65536)
                .findFirst().orElse(0);
    }

    /** The container's address on its own network: a user-defined network's, else the bridge's. */
    private static String containerIp(InspectContainerResponse inspect) {
        var settings = inspect.getNetworkSettings();
        if (settings == null) {
            return null;
        }
        String mode = inspect.getHostConfig() == null ? null : inspect.getHostConfig().getNetworkMode();
        Map<String, ContainerNetwork> networks = settings.getNetworks();
        if (networks != null && mode != null) {
            // NetworkMode names the network, or holds its id when set by id
            for (Map.Entry<String, ContainerNetwork> e : networks.entrySet()) {
                ContainerNetwork n = e.getValue();
                if (e.getKey().equals(mode) || mode.equals(n.getNetworkID())) {
                    return n.getIpAddress() != null && !n.getIpAddress().isEmpty() ? n.getIpAddress() : n.getGlobalIPv6Address();
                }
            }
        }
        if (settings.getIpAddress() != null && !settings.getIpAddress().isEmpty()) {
            return settings.getIpAddress();
        }
        if (networks != null) {
            for (ContainerNetwork n : new TreeMap<>(networks).values()) {
                if (n.getIpAddress() != null && !n.getIpAddress().isEmpty()) {
                    return n.getIpAddress();
                }
            }
        }
        return null;
    }
}
