package io.github.camelregistrator.service;

import java.util.List;

/**
 * What one container contributes: the input of every layout route. {@code services} is empty
 * when nothing of the container is to be registered (stopped, ignored, refused).
 */
public record ContainerServices(ContainerInfo container, List<Service> services) {

    public String id() {
        return container.id();
    }

    public static ContainerServices none(String containerId) {
        return new ContainerServices(new ContainerInfo(containerId, "", "", "", "", "", java.util.Map.of()), List.of());
    }
}
