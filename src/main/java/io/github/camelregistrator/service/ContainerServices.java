package io.github.camelregistrator.service;

import java.util.List;
import java.util.Map;

/**
 * What one container contributes: the input of every layout route. {@code services} is empty
 * when nothing of the container is to be registered (stopped, ignored, unhealthy, refused).
 * {@code retain} means: keep whatever it registered before (a container that exited non-zero
 * under {@code deregister=on-success}).
 */
public record ContainerServices(ContainerInfo container, List<Service> services, boolean retain) {

    public ContainerServices(ContainerInfo container, List<Service> services) {
        this(container, services, false);
    }

    public String id() {
        return container.id();
    }

    public static ContainerServices none(String containerId) {
        return new ContainerServices(new ContainerInfo(containerId, "", "", "", "", "", Map.of(), Map.of(), List.of()), List.of());
    }

    public static ContainerServices retained(String containerId) {
        return new ContainerServices(none(containerId).container(), List.of(), true);
    }
}
