package io.github.camelregistrator.service;

import java.util.List;
import java.util.Map;

/**
 * One published port of one container, named and addressed by gliderlabs/registrator's rules.
 * Layout routes read its fields with the simple language, e.g. {@code ${body.name}}.
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
        ContainerInfo container) {

    /** {@code ip:port}, with IPv6 addresses bracketed. */
    public String address() {
        return Addresses.hostPort(ip, port);
    }

    /** Host-id, for layouts that key by host. */
    public String hostId() {
        return container.hostId();
    }
}
