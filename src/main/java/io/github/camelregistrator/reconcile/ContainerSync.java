package io.github.camelregistrator.reconcile;

import java.util.List;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Event;
import io.github.camelregistrator.docker.DockerEventsConsumer;
import io.github.camelregistrator.etcd.Registry;
import io.github.camelregistrator.health.Metrics;
import io.github.camelregistrator.service.Names;
import io.github.camelregistrator.service.Warnings;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.docker.DockerConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container-sync route's steps around delivery: a container's fresh inspect data (or none,
 * when Docker answered 404) becomes its desired entries, and what delivery changed is logged.
 * The body it leaves is the entry list, or null when the container keeps what it registered.
 */
public class ContainerSync {
    public static final String STAMP = "RegistratorStamp";
    static final String NAME = "RegistratorContainerName";
    static final String SERVICES = "RegistratorServices";
    static final String MAPPED = "RegistratorMapped";
    private static final Logger LOG = LoggerFactory.getLogger("registrator");

    private final ContainerEntries entries;
    private final Metrics metrics;
    private final java.util.function.LongSupplier stamps;

    /** @param stamps the registry's stamps, which order what inspects and full passes found */
    public ContainerSync(ContainerEntries entries, Metrics metrics, java.util.function.LongSupplier stamps) {
        this.entries = entries;
        this.metrics = metrics;
        this.stamps = stamps;
    }

    /**
     * Stamps the event before its inspect. A bean step, not {@code ${bean:...}} in a header:
     * Camel's bean expression copies the whole exchange on every call.
     */
    public void stamp(Exchange exchange) {
        exchange.getMessage().setHeader(STAMP, stamps.getAsLong());
    }

    /**
     * A die event: the container is not running, which is all removal needs. Inspecting it now
     * would wait while Docker cleans it up (about 100 ms), so the event is taken at its word;
     * the next full pass checks it like everything else.
     */
    public void died(Exchange exchange) {
        Message m = exchange.getMessage();
        String id = m.getHeader(DockerConstants.DOCKER_CONTAINER_ID, String.class);
        Event event = m.getBody(Event.class);
        var attributes = event != null && event.getActor() != null ? event.getActor().getAttributes() : null;
        String name = attributes != null ? attributes.getOrDefault("name", Warnings.shortId(id)) : Warnings.shortId(id);
        String exitCode = attributes != null ? attributes.get("exitCode") : null;
        m.setHeader(NAME, name);
        entries.died(id, name, exitCode);
        if (entries.keepsFailed() && exitCode != null && !"0".equals(exitCode)) {
            LOG.info("kept container={} exit-code={}: deregister=on-success keeps a failed container's entries", name, exitCode);
            m.setBody(null);
            return;
        }
        // containers that share its network lose their address with it: they are synced too
        entries.sharedNetworks().changed(id);
        entries.gone(id);
        m.setBody(List.of());
        m.setHeader(MAPPED, System.nanoTime());
    }

    /**
     * A destroy event: the container is gone. Its die came first and removed its entries, unless
     * deregister=on-success kept a failed container's: those go now.
     */
    public void destroyed(Exchange exchange) {
        Message m = exchange.getMessage();
        String id = m.getHeader(DockerConstants.DOCKER_CONTAINER_ID, String.class);
        m.setHeader(NAME, Warnings.shortId(id));
        m.setBody(entries.of(id, null, io.github.camelregistrator.observe.Registrations.EVENT).entries());
        m.setHeader(MAPPED, System.nanoTime());
    }

    /** Inspect data to entries: services by the mapping rules, then every active layout. */
    public void map(Exchange exchange) {
        long start = System.nanoTime();
        Message m = exchange.getMessage();
        since(m, DockerEventsConsumer.DEQUEUED, "inspect", start);
        String id = m.getHeader(DockerConstants.DOCKER_CONTAINER_ID, String.class);
        // anything else in the body means Docker answered 404: the container is gone
        InspectContainerResponse inspect = m.getBody() instanceof InspectContainerResponse r ? r : null;
        // containers that share its network have its address: they are synced too
        entries.sharedNetworks().changed(id);
        ContainerEntries.Result result = entries.of(id, inspect, io.github.camelregistrator.observe.Registrations.EVENT);
        String name = inspect == null || inspect.getName() == null ? Warnings.shortId(id) : Names.containerName(inspect.getName());
        m.setHeader(NAME, name);
        m.setHeader(SERVICES, result.services().services().size());
        if (result.retained()) {
            LOG.info("kept container={} exit-code={}: deregister=on-success keeps a failed container's entries",
                    name, inspect.getState().getExitCodeLong());
        }
        m.setBody(result.entries());
        long mapped = System.nanoTime();
        metrics.stage("map", mapped - start);
        m.setHeader(MAPPED, mapped);
    }

    /** One line per container whose registration changed. */
    public void report(Exchange exchange) {
        Message m = exchange.getMessage();
        Registry.Changes changes = m.getBody(Registry.Changes.class);
        if (changes == null) {
            return;
        }
        long now = System.nanoTime();
        since(m, MAPPED, "deliver", now);
        since(m, DockerEventsConsumer.RECEIVED, "total", now);
        String name = m.getHeader(NAME, String.class);
        Integer services = m.getHeader(SERVICES, Integer.class);
        if (changes.puts() > 0 && services != null && services > 0) {
            LOG.info("registered container={} services={}", name, services);
        } else if (changes.deletes() > 0) {
            LOG.info("deregistered container={}", name);
        }
        if (changes.pending() > 0) {
            LOG.debug("container={}: {} changes pending until etcd takes them", name, changes.pending());
        }
    }

    /** Records a stage that began at the time in a header, if the exchange came that way. */
    private void since(Message m, String header, String stage, long now) {
        Long began = m.getHeader(header, Long.class);
        if (began != null) {
            metrics.stage(stage, now - began);
        }
    }
}
