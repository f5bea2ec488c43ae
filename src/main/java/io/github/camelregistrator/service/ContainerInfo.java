package io.github.camelregistrator.service;

import java.util.Map;

/**
 * The container a service belongs to, as layouts see it ({@code ${body.container.name}}).
 * {@code vars} holds its environment with its labels laid over it, where descriptors such as
 * {@code VS_80_BACKEND_ID} are read from. Values over {@link LargeValues#LIMIT} characters are
 * not in either; {@code dropped} names them ({@code label blob}, {@code env DATA}). {@code swarm} is
 * the swarm task it runs, null for a plain container.
 */
public record ContainerInfo(
        String id,
        String name,
        String image,
        String hostname,
        String hostId,
        String advertiseIp,
        Map<String, String> labels,
        Map<String, String> vars,
        java.util.List<String> dropped,
        SwarmTask swarm) {

    public ContainerInfo(String id, String name, String image, String hostname, String hostId, String advertiseIp,
                         Map<String, String> labels, Map<String, String> vars, java.util.List<String> dropped) {
        this(id, name, image, hostname, hostId, advertiseIp, labels, vars, dropped, null);
    }
}
