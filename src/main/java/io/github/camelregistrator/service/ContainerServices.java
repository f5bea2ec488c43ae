package io.github.camelregistrator.service;

import java.util.List;
import java.util.Map;

/**
 * What one container contributes: the input of every layout route. {@code services} is empty
 * when nothing of the container is to be registered (stopped, ignored, unhealthy, refused).
 * {@code retain} means: keep whatever it registered before (a container that exited non-zero
 * under {@code deregister=on-success}). {@code skip} says why there are no services (null when
 * there are some).
 */
public record ContainerServices(ContainerInfo container, List<Service> services, boolean retain, Skip skip) {

    public ContainerServices(ContainerInfo container, List<Service> services) {
        this(container, services, false, null);
    }

    public ContainerServices(ContainerInfo container, List<Service> services, boolean retain) {
        this(container, services, retain, null);
    }

    public String id() {
        return container.id();
    }

    public static ContainerServices none(String containerId) {
        return new ContainerServices(new ContainerInfo(containerId, "", "", "", "", "", Map.of(), Map.of(), List.of()), List.of());
    }

    public static ContainerServices retained(String containerId, Skip why) {
        return new ContainerServices(none(containerId).container(), List.of(), true, why);
    }

    /** No services, and why (see {@link Skip}); the container's data stays out of it. */
    public static ContainerServices skipped(String containerId, Skip.Kind kind, String detail) {
        return new ContainerServices(none(containerId).container(), List.of(), false, Skip.of(kind, detail));
    }
}
