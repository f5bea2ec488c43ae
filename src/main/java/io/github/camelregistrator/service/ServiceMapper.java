package io.github.camelregistrator.service;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.github.dockerjava.api.command.InspectContainerResponse;

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
     * @param names          only containers in whose name it is found are registered (null: all)
     * @param tags           tags forced onto every service
     * @param ipLabel        a label whose value, when set, replaces the advertised address (null: none)
     * @param requireHealthy a container with a health check is registered only while healthy
     * @param keepFailed     deregister=on-success: a container that exited non-zero keeps its entries
     * @param advertiseIpSet the advertise IP was given, so it wins over a port's bound host address
     * @param descriptorPrefixes prefixes of per-port descriptors a layout reads ({@code VS} of {@code VS_80_BACKEND_ID})
     * @param network        internal mode: the network whose address is registered (null: the default rule)
     */
    public record Options(String hostId, String advertiseIp, boolean explicit, boolean internal,
                          java.util.regex.Pattern names, List<String> tags, String ipLabel,
                          boolean requireHealthy, boolean keepFailed, boolean advertiseIpSet,
                          List<String> descriptorPrefixes, String network) {

        public Options(String hostId, String advertiseIp, boolean explicit, boolean internal,
                       java.util.regex.Pattern names, List<String> tags, String ipLabel,
                       boolean requireHealthy, boolean keepFailed, boolean advertiseIpSet,
                       List<String> descriptorPrefixes) {
            this(hostId, advertiseIp, explicit, internal, names, tags, ipLabel, requireHealthy, keepFailed,
                    advertiseIpSet, descriptorPrefixes, null);
        }

        public Options(String hostId, String advertiseIp, boolean explicit, boolean internal,
                       java.util.regex.Pattern names, List<String> tags, String ipLabel,
                       boolean requireHealthy, boolean keepFailed) {
            this(hostId, advertiseIp, explicit, internal, names, tags, ipLabel, requireHealthy, keepFailed, true, List.of());
        }

        public Options(String hostId, String advertiseIp, boolean explicit, boolean internal) {
            this(hostId, advertiseIp, explicit, internal, null, List.of(), null, false, false);
        }
    }

    private final Options options;
    private final String hostId;
    private final boolean internal;
    private final PortServices portServices;

    public ServiceMapper(Options options) {
        this.options = options;
        this.hostId = options.hostId();
        this.internal = options.internal();
        this.portServices = new PortServices(options);
    }

    public ServiceMapper(String hostId, String advertiseIp, boolean explicit, boolean internal) {
        this(new Options(hostId, advertiseIp, explicit, internal));
    }

    /** Whether stopped containers matter to this mapping (they do when failures keep their entries). */
    public boolean keepsFailed() {
        return options.keepFailed();
    }

    /**
     * The container whose network this one shares ({@code --net container:<x>}), when its
     * address is needed: in internal mode. Null otherwise.
     */
    public String networkContainer(InspectContainerResponse inspect) {
        String mode = inspect.getHostConfig() == null ? null : inspect.getHostConfig().getNetworkMode();
        return internal && mode != null && mode.startsWith("container:") ? mode.substring("container:".length()) : null;
    }

    public ContainerServices map(InspectContainerResponse inspect) {
        return map(inspect, null);
    }

    /**
     * The services of a container; none when it is not running, paused or ignored.
     *
     * @param networkContainer the inspect data of {@link #networkContainer}, null when none or gone
     * @throws BadMetadataException when its metadata cannot be registered safely
     */
    public ContainerServices map(InspectContainerResponse inspect, InspectContainerResponse networkContainer) {
        String id = inspect.getId();
        var state = inspect.getState();
        var config = inspect.getConfig();
        String name = inspect.getName() == null ? id : Names.containerName(inspect.getName());
        if (config == null || state == null) {
            return ContainerServices.skipped(id, Skip.Kind.BAD_METADATA, "Docker gave no config or state");
        }
        // as Havok's -names (Go's regexp.MatchString): found anywhere in the name; ^...$ for the whole name
        if (options.names() != null && !options.names().matcher(name).find()) {
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
        LargeValues.Kept kept = LargeValues.keep(config.getLabels(), config.getEnv(), this::read);
        Map<String, String> labels = kept.labels();
        String[] env = kept.env();
        if (Boolean.TRUE.equals(state.getPaused())) {
            return ContainerServices.skipped(id, Skip.Kind.PAUSED, "paused");
        }
        if (!healthyEnough(state, labels)) {
            return ContainerServices.skipped(id, Skip.Kind.UNHEALTHY, "its health check says " + state.getHealth().getStatus()
                    + " and require-healthy holds it back until it says healthy");
        }
        Map<String, String> entries = Metadata.serviceEntries(env, labels);
        entries.forEach(ServiceMapper::checkValue);
        String labelIp = labelIp(labels);
        ContainerInfo info = new ContainerInfo(id, name, String.valueOf(config.getImage()),
                String.valueOf(config.getHostName()), hostId, labelIp != null ? labelIp : options.advertiseIp(),
                labels, vars(env, labels), kept.dropped(), SwarmTask.of(labels));
        if (Metadata.forPort(entries, -1).get("ignore") != null) {
            return new ContainerServices(info, List.of(), false, Skip.of(Skip.Kind.IGNORED, "SERVICE_IGNORE is set"));
        }

        List<Ports.Port> ports = Ports.of(inspect, internal);
        InspectContainerResponse addressed = internal && !ports.isEmpty() ? addressed(inspect, networkContainer) : null;
        return ports.isEmpty() ? new ContainerServices(info, List.of(), false, Skip.noPorts(internal, info.swarm() != null))
                : portServices.map(info, entries, ports, labelIp, addressed);
    }

    /** Whether the mapping reads a label or variable of this name, so that its value must be whole. */
    private boolean read(String name) {
        return name.startsWith("SERVICE_") || name.startsWith("registrator.") || name.equals(options.ipLabel())
                || options.descriptorPrefixes().stream().anyMatch(p -> name.startsWith(p + "_"));
    }

    /**
     * The address of registrator.use-ip-from-label, or null when unset. As in gliderlabs, a
     * value in CIDR form ({@code 198.51.100.5/24}) gives its address part.
     */
    private String labelIp(Map<String, String> labels) {
        String value = options.ipLabel() == null ? null : labels.get(options.ipLabel());
        if (value == null || value.isBlank()) {
            return null;
        }
        String ip = value.trim();
        int slash = ip.lastIndexOf('/');
        if (slash >= 0 && ip.substring(slash + 1).matches("\\d{1,3}")) {
            ip = ip.substring(0, slash);
        }
        if (!Addresses.isLiteral(ip)) {
            throw new BadMetadataException("label " + options.ipLabel() + " is not an IP address");
        }
        return ip;
    }

    /** Internal mode: the container whose networks give the address, itself or with {@code --net container:<x>} x. */
    private InspectContainerResponse addressed(InspectContainerResponse inspect, InspectContainerResponse networkContainer) {
        String shared = networkContainer(inspect);
        if (shared != null && networkContainer == null) {
            throw new BadMetadataException("internal mode but container " + Warnings.shortId(shared)
                    + ", whose network it shares, is gone");
        }
        return shared == null ? inspect : networkContainer;
    }

    private static void checkValue(String key, String value) {
        if (value.length() > MAX_VALUE) {
            throw new BadMetadataException(key + " is " + value.length() + " characters long (at most " + MAX_VALUE + ")");
        }
        if (value.indexOf('\0') >= 0 || key.indexOf('\0') >= 0) {
            throw new BadMetadataException(key + " contains a NUL character");
        }
    }

    /** The container's own address on its network (IPv4, else IPv6), or null: where its health checks go. */
    public static String containerAddress(InspectContainerResponse inspect) {
        return Networks.choose(inspect, null, null, false).ip();
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
}
