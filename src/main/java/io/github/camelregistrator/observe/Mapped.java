package io.github.camelregistrator.observe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.github.camelregistrator.layout.Entry;
import io.github.camelregistrator.service.ContainerServices;
import io.github.camelregistrator.service.Names;
import io.github.camelregistrator.service.Service;
import io.github.camelregistrator.service.Skip;
import io.github.camelregistrator.service.SwarmTask;

/**
 * What the mapping made of one container, stripped of everything it did not use: no label or
 * environment value, only its name, image, services and the entries of each layout.
 *
 * @param layouts null when the container keeps what it registered before (deregister=on-success)
 * @param swarm   the swarm task it runs (service, task, slot), null for a plain container
 */
public record Mapped(String id, String name, String image, Skip skip, List<ServiceView> services,
                     Map<String, List<Entry>> layouts, SwarmTask swarm) {

    /**
     * One service as the mapping produced it.
     *
     * @param network internal mode: the network its address is on, and why that one (null otherwise)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ServiceView(String name, String id, String ip, int port, int privatePort, String protocol,
                              List<String> tags, Map<String, String> attributes, String network) {
    }

    public static Mapped of(String id, InspectContainerResponse inspect, ContainerServices services,
                            Map<String, List<Entry>> layouts) {
        List<ServiceView> views = views(services.services());
        String name = inspect == null || inspect.getName() == null ? id : Names.containerName(inspect.getName());
        String image = inspect == null || inspect.getConfig() == null ? null : inspect.getConfig().getImage();
        Skip skip = services.skip();
        if (skip == null && layouts != null && layouts.values().stream().allMatch(List::isEmpty)) {
            skip = Skip.of(Skip.Kind.NO_PORTS, "the layouts made no key for its " + views.size() + " service(s)");
        }
        SwarmTask swarm = inspect == null || inspect.getConfig() == null || inspect.getConfig().getLabels() == null ? null
                : SwarmTask.of(inspect.getConfig().getLabels());
        return new Mapped(id, name, image, skip, views, layouts == null ? null : new LinkedHashMap<>(layouts), swarm);
    }

    /**
     * A swarm service (registrator.swarm-services), under its owner id {@code swarm-service:<id>}:
     * explain lists it beside the containers, by its name.
     */
    public static Mapped swarmService(String owner, String name, String image, Skip skip, List<Service> services,
                                      Map<String, List<Entry>> layouts) {
        SwarmTask swarm = new SwarmTask(name, owner.substring(owner.indexOf(':') + 1), null, null, null);
        return new Mapped(owner, name, image, skip, views(services), new LinkedHashMap<>(layouts), swarm);
    }

    private static List<ServiceView> views(List<Service> services) {
        return services.stream()
                .map(s -> new ServiceView(s.name(), s.id(), s.ip(), s.port(), s.privatePort(), s.protocol(), s.tags(),
                        s.attributes(), s.network() == null ? null : s.network().network() + " (" + s.network().why() + ")"))
                .toList();
    }

    /** Mapped from a die event alone: not running, with nothing to register. */
    public static Mapped stopped(String id, String name, Skip why) {
        return new Mapped(id, name, null, why, List.of(), why.kind() == Skip.Kind.KEPT ? null : Map.of(), null);
    }
}
