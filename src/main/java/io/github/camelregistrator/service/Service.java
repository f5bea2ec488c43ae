package io.github.camelregistrator.service;

import java.util.List;
import java.util.Map;

/**
 * One published port of one container, named and addressed by gliderlabs/registrator's rules.
 * Layout routes read its fields with the simple language, e.g. {@code ${body.name}}. {@code network}
 * is the network internal mode took its address from, and why (null outside internal mode).
 */
public record Service(
        String name,
        String id,
        String ip,
        int port,
        int privatePort,
        String protocol,
        List<String> tags,
        Map<String, String> attributes,
        ContainerInfo container,
        Networks.Choice network) {

    public Service(String name, String id, String ip, int port, int privatePort, String protocol, List<String> tags,
                   Map<String, String> attributes, ContainerInfo container) {
        this(name, id, ip, port, privatePort, protocol, tags, attributes, container, null);
    }

    /** {@code ip:port}, with IPv6 addresses bracketed. */
    public String address() {
        return Addresses.hostPort(ip, port);
    }

    /** Host-id, for layouts that key by host. */
    public String hostId() {
        return container.hostId();
    }

    /** A per-port descriptor such as {@code VS_80_BACKEND_ID}, or null when the container sets none. */
    public String descriptor(String prefix, String name) {
        String v = container.vars().get(prefix + "_" + privatePort + "_" + name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The descriptor, encoded to stand as one key segment. */
    public String descriptorKey(String prefix, String name) {
        String v = descriptor(prefix, name);
        return v == null ? null : Names.segment(v);
    }

    /** The service id as a DNS label, for layouts read by DNS servers. */
    public String idLabel() {
        return Names.dnsLabel(id);
    }

    /** The service name as a DNS label. */
    public String nameLabel() {
        return Names.dnsLabel(name);
    }
}
