package io.github.camelregistrator.reconcile;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Event;
import io.github.camelregistrator.etcd.Registry;
import io.github.camelregistrator.service.Warnings;
import org.apache.camel.Exchange;
import org.apache.camel.component.docker.DockerConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of the container-sync route: the container's fresh inspect data (or none,
 * when Docker answered 404) becomes its desired entries, and only the difference is written.
 */
public class ContainerSync {
    public static final String STAMP = "RegistratorStamp";
    private static final Logger LOG = LoggerFactory.getLogger("registrator");

    private final ContainerEntries entries;
    private final Registry registry;

    public ContainerSync(ContainerEntries entries, Registry registry) {
        this.entries = entries;
        this.registry = registry;
    }

    /**
     * A die event: the container is not running, which is all removal needs. Inspecting it now
     * would wait while Docker cleans it up (about 100 ms), so the event is taken at its word;
     * the next full pass checks it like everything else.
     */
    public void died(Exchange exchange) {
        String id = exchange.getMessage().getHeader(DockerConstants.DOCKER_CONTAINER_ID, String.class);
        Long stamp = exchange.getMessage().getHeader(STAMP, Long.class);
        Event event = exchange.getMessage().getBody(Event.class);
        String name = event != null && event.getActor() != null && event.getActor().getAttributes() != null
                ? event.getActor().getAttributes().getOrDefault("name", Warnings.shortId(id)) : Warnings.shortId(id);
        String exitCode = event != null && event.getActor() != null && event.getActor().getAttributes() != null
                ? event.getActor().getAttributes().get("exitCode") : null;
        if (entries.keepsFailed() && exitCode != null && !"0".equals(exitCode)) {
            LOG.info("kept container={} exit-code={}: deregister=on-success keeps a failed container's entries", name, exitCode);
            return;
        }
        entries.gone(id);
        Registry.Changes changes = registry.apply(id, stamp == null ? registry.stamp() : stamp, java.util.List.of());
        if (changes.deletes() > 0) {
            LOG.info("deregistered container={}", name);
        }
    }

    public void sync(Exchange exchange) {
        String id = exchange.getMessage().getHeader(DockerConstants.DOCKER_CONTAINER_ID, String.class);
        Long stamp = exchange.getMessage().getHeader(STAMP, Long.class);
        // anything else in the body means Docker answered 404: the container is gone
        InspectContainerResponse inspect = exchange.getMessage().getBody() instanceof InspectContainerResponse r ? r : null;
        ContainerEntries.Result result = entries.of(id, inspect);
        if (result.retained()) {
            LOG.info("kept container={} exit-code={}: deregister=on-success keeps a failed container's entries",
                    inspect.getName().substring(1), inspect.getState().getExitCodeLong());
            return;
        }
        Registry.Changes changes = registry.apply(id, stamp == null ? registry.stamp() : stamp, result.entries());
        String name = inspect == null || inspect.getName() == null ? Warnings.shortId(id) : inspect.getName().substring(1);
        if (changes.puts() > 0 && !result.entries().isEmpty()) {
            LOG.info("registered container={} services={}", name, result.services().services().size());
        } else if (changes.deletes() > 0 && result.entries().isEmpty()) {
            LOG.info("deregistered container={}", name);
        }
        if (changes.pending() > 0) {
            LOG.debug("container={} has {} changes pending until etcd answers", name, changes.pending());
        }
    }
}
