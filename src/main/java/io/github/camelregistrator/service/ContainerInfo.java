package io.github.camelregistrator.service;

import java.util.Map;

/** The container a service belongs to, as layouts see it ({@code ${body.container.name}}). */
public record ContainerInfo(
        String id,
        String name,
        String image,
        String hostname,
        String hostId,
        String advertiseIp,
        Map<String, String> labels) {
}
