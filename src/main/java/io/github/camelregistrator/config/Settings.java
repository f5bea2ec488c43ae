package io.github.camelregistrator.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.github.camelregistrator.service.Addresses;

/**
 * The typed, validated options, read from Camel's properties (application.properties,
 * then REGISTRATOR_* environment variables, then --name=value flags). A bad value stops
 * start-up with a message that names the option.
 */
public record Settings(
        List<String> etcdEndpoints,
        long etcdTimeoutMs,
        String etcdUser,
        String etcdPassword,
        String etcdCaFile,
        String etcdCertFile,
        String etcdKeyFile,
        String dockerHost,
        String dockerApiVersion,
        String advertiseIp,
        String hostId,
        Map<String, String> layouts,
        long ttl,
        long resync,
        boolean dryRun,
        boolean explicit,
        boolean internal,
        String bookkeepingPrefix,
        int workers,
        Pattern names,
        List<String> tags,
        String useIpFromLabel,
        boolean requireHealthy,
        boolean deregisterOnSuccess,
        String logLevel,
        boolean advertiseIpSet,
        String network,
        boolean swarmServices) {

    /** @param props looks a property up; null when unset */
    public static Settings from(Function<String, String> props) {
        return from(props, null);
    }

    /**
     * @param props looks a property up; null when unset
     * @param layoutRoutes the layouts that have a route (routes/layout-&lt;name&gt;.yaml); null: not checked here
     */
    public static Settings from(Function<String, String> props, java.util.Set<String> layoutRoutes) {
        OptionReader r = new OptionReader(props);
        List<String> endpoints = new ArrayList<>();
        for (String e : r.required("registrator.etcd-endpoints").split(",")) {
            if (!e.isBlank()) {
                endpoints.add(r.endpoint("registrator.etcd-endpoints", e.trim()));
            }
        }
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("registrator.etcd-endpoints: at least one endpoint is needed");
        }
        // one client speaks TLS to every endpoint or to none: a mix fails, or sends the password in the clear
        if (endpoints.stream().map(e -> URI.create(e).getScheme()).distinct().count() > 1) {
            throw new IllegalArgumentException("registrator.etcd-endpoints: mixes http:// and https://, use one scheme");
        }
        Map<String, String> layouts = new LinkedHashMap<>();
        for (String name : r.required("registrator.layouts").split(",")) {
            name = name.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!name.matches("[a-z0-9][a-z0-9-]*")) {
                throw new IllegalArgumentException("registrator.layouts: '" + name
                        + "' is not a layout name (lower-case letters, digits and '-')");
            }
            if (layoutRoutes != null && !layoutRoutes.contains(name)) {
                throw new IllegalArgumentException("registrator.layouts: '" + name + "' has no route routes/layout-"
                        + name + ".yaml; the layouts are " + String.join(", ", new java.util.TreeSet<>(layoutRoutes)));
            }
            String option = name.equals("registrator") ? "registrator.prefix" : "registrator." + name + ".prefix";
            if (r.optional(option) == null) {
                throw new IllegalArgumentException(option + ": empty, but layout " + name
                        + " needs a key prefix like /" + name);
            }
            layouts.put(name, r.prefix(option));
        }
        if (layouts.isEmpty()) {
            throw new IllegalArgumentException("registrator.layouts: at least one layout is needed");
        }
        String bookkeeping = r.prefix("registrator.bookkeeping-prefix") + "/";
        for (String prefix : layouts.values()) {
            if ((prefix + "/").startsWith(bookkeeping) || bookkeeping.startsWith(prefix + "/")) {
                throw new IllegalArgumentException("registrator.bookkeeping-prefix: " + bookkeeping
                        + " overlaps the layout prefix " + prefix);
            }
        }
        String advertise = r.optional("registrator.advertise-ip");
        if (advertise == null) {
            advertise = HostDefaults.primaryAddress();
        } else if (!Addresses.isDottedQuad(advertise) && !advertise.contains(":")) {
            throw new IllegalArgumentException("registrator.advertise-ip: '" + advertise + "' is not an IP address");
        }
        String hostId = r.optional("registrator.host-id");
        if (hostId == null) {
            hostId = HostDefaults.hostname();
        }
        if (hostId.contains("/") || hostId.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("registrator.host-id: '" + hostId + "' contains '/' or a control character");
        }
        long ttl = r.number("registrator.ttl", 2, 3600, "seconds");
        if ((r.optional("registrator.etcd-cert-file") == null) != (r.optional("registrator.etcd-key-file") == null)) {
            throw new IllegalArgumentException("registrator.etcd-cert-file: a client certificate needs registrator.etcd-key-file, and the other way round");
        }
        checkLayoutOptions(r, layouts.keySet());
        // read by Camel's HTTP server, which otherwise fails with a stack trace
        if (r.bool("registrator.http-enabled")) {
            r.number("registrator.http-port", 1, 65_535, "");
        }
        Pattern names = null;
        if (r.optional("registrator.names") != null) {
            try {
                names = Pattern.compile(r.optional("registrator.names"));
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new IllegalArgumentException("registrator.names: not a regular expression: " + e.getDescription());
            }
        }
        List<String> tags = new ArrayList<>();
        if (r.optional("registrator.tags") != null) {
            for (String t : r.optional("registrator.tags").split(",")) {
                if (!t.isBlank()) {
                    tags.add(t.trim());
                }
            }
        }
        String deregister = r.required("registrator.deregister");
        if (!deregister.equals("always") && !deregister.equals("on-success")) {
            throw new IllegalArgumentException("registrator.deregister: '" + deregister + "' is neither always nor on-success");
        }
        return new Settings(endpoints,
                r.number("registrator.etcd-timeout", 100, 60_000, "milliseconds"),
                r.optional("registrator.etcd-user"),
                r.optional("registrator.etcd-password"),
                r.file("registrator.etcd-ca-file"),
                r.file("registrator.etcd-cert-file"),
                r.file("registrator.etcd-key-file"),
                r.required("registrator.docker-host"),
                r.optional("registrator.docker-api-version"),
                advertise,
                hostId,
                Collections.unmodifiableMap(layouts),
                ttl,
                r.number("registrator.resync", 1, 86_400, "seconds"),
                r.bool("registrator.dry-run"),
                r.bool("registrator.explicit"),
                r.bool("registrator.internal"),
                bookkeeping,
                (int) r.number("registrator.workers", 1, 64, "workers"),
                names,
                List.copyOf(tags),
                r.optional("registrator.use-ip-from-label"),
                r.bool("registrator.require-healthy"),
                deregister.equals("on-success"),
                logLevel(r),
                r.optional("registrator.advertise-ip") != null,
                network(r),
                r.bool("registrator.swarm-services"));
    }

    /** A Docker network's name or id, as Docker allows them; null when unset. */
    private static String network(OptionReader r) {
        String network = r.optional("registrator.network");
        if (network != null && !network.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}")) {
            throw new IllegalArgumentException("registrator.network: '" + network
                    + "' is not a Docker network name or id (letters, digits, '_', '.', '-')");
        }
        return network;
    }

    private static String logLevel(OptionReader r) {
        String level = r.required("registrator.log-level").toLowerCase(java.util.Locale.ROOT);
        if (!java.util.Set.of("debug", "info", "warn", "error").contains(level)) {
            throw new IllegalArgumentException("registrator.log-level: '" + level + "' is not debug, info, warn or error");
        }
        return level;
    }

    /** Options of the active layouts that their YAML routes read. */
    private static void checkLayoutOptions(OptionReader r, java.util.Set<String> layouts) {
        if (layouts.contains("vulcand")) {
            if (!r.required("registrator.vulcand.env-prefix").matches("[A-Za-z][A-Za-z0-9]*")) {
                throw new IllegalArgumentException("registrator.vulcand.env-prefix: letters and digits only, like VS");
            }
            r.bool("registrator.vulcand.permit-frontend");
        }
        if (layouts.contains("havok")) {
            r.domain("registrator.havok.root-domain");
        }
        if (layouts.contains("skydns")) {
            r.domain("registrator.skydns.domain");
            r.number("registrator.skydns.dns-ttl", 0, 86_400, "seconds");
        }
    }

    @Override
    public String toString() {
        // never the password
        return "Settings[etcd=" + etcdEndpoints + ", docker=" + dockerHost + ", host-id=" + hostId
                + ", advertise-ip=" + advertiseIp + ", layouts=" + layouts + ", ttl=" + ttl + "s, resync=" + resync
                + "s, dry-run=" + dryRun + ", explicit=" + explicit + ", internal=" + internal
                + (swarmServices ? ", swarm-services=true" : "") + "]";
    }

    /** Bookkeeping key recording this host's lease. */
    public String hostKey() {
        return bookkeepingPrefix + "hosts/" + io.github.camelregistrator.service.Names.segment(hostId);
    }

    /** Where the managers that register a swarm service each hold a member key: the service's shared keys live while one remains. */
    public String swarmMembers() {
        return bookkeepingPrefix + "swarm-services/";
    }

    /** Where this host records the keys it wrote, so that a key stripped of its lease is still found. */
    public String keyRecord() {
        return bookkeepingPrefix + "keys/" + io.github.camelregistrator.service.Names.segment(hostId);
    }
}
