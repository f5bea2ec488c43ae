package io.github.camelregistrator.reconcile;

import java.util.List;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.github.camelregistrator.layout.Entry;
import io.github.camelregistrator.layout.Layouts;
import io.github.camelregistrator.service.BadMetadataException;
import io.github.camelregistrator.service.ContainerServices;
import io.github.camelregistrator.service.ServiceMapper;
import io.github.camelregistrator.service.Warnings;

/**
 * Inspect data to etcd entries: services by the mapping rules, then every active layout.
 * A container whose metadata is refused contributes nothing, with one warning.
 */
public class ContainerEntries {
    private final ServiceMapper mapper;
    private final Layouts layouts;
    private final Warnings warnings = new Warnings();

    public ContainerEntries(ServiceMapper mapper, Layouts layouts) {
        this.mapper = mapper;
        this.layouts = layouts;
    }

    /** @param entries null when the container keeps what it registered before */
    public record Result(ContainerServices services, List<Entry> entries) {
        public boolean retained() {
            return entries == null;
        }
    }

    public boolean keepsFailed() {
        return mapper.keepsFailed();
    }

    /** @param inspect null when the container is gone */
    public Result of(String containerId, InspectContainerResponse inspect) {
        if (inspect == null) {
            warnings.forget(containerId);
            return new Result(ContainerServices.none(containerId), List.of());
        }
        try {
            ContainerServices services = mapper.map(inspect);
            return new Result(services, services.retain() ? null : layouts.render(services));
        } catch (BadMetadataException e) {
            String name = inspect.getName() == null ? containerId : inspect.getName().replaceFirst("^/", "");
            warnings.warn(containerId, name, e.getMessage());
            return new Result(ContainerServices.none(containerId), List.of());
        }
    }
}
