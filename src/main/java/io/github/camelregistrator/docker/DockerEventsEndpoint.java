package io.github.camelregistrator.docker;

import java.util.Arrays;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.github.dockerjava.api.DockerClient;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** See {@link DockerEventsComponent}; options are {@code actions}, {@code workers} and backoff bounds. */
public class DockerEventsEndpoint extends DefaultEndpoint {
    private final Supplier<DockerClient> clients;
    /** Given in the route (routes/events.yaml), where a reader sees which events are followed. */
    private String actions;
    private String networkActions = "";
    private String serviceActions = "";
    private boolean swarmServices;
    private int workers = 4;
    private long initialBackoff = 250;
    private long maxBackoff = 10_000;

    DockerEventsEndpoint(String uri, DockerEventsComponent component, Supplier<DockerClient> clients) {
        super(uri, component);
        this.clients = clients;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("docker-events is a route source only");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (actions == null || actionSet().isEmpty()) {
            throw new IllegalArgumentException("docker-events: the actions option is required (e.g. actions=start,die)");
        }
        DockerEventsConsumer consumer = new DockerEventsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }


    DockerEventsComponent events() {
        return (DockerEventsComponent) getComponent();
    }

    Supplier<DockerClient> clients() {
        return clients;
    }

    Set<String> actionSet() {
        return Arrays.stream(actions.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    public String getActions() {
        return actions;
    }

    /** Comma-separated container actions to follow; {@code health_status} matches every health result. */
    public void setActions(String actions) {
        this.actions = actions;
    }

    Set<String> networkActionSet() {
        return Arrays.stream(networkActions.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    public String getNetworkActions() {
        return networkActions;
    }

    /** Comma-separated network actions ({@code connect,disconnect}) that sync the container they name. */
    public void setNetworkActions(String networkActions) {
        this.networkActions = networkActions == null ? "" : networkActions;
    }

    /** Service actions followed, or none unless swarmServices (a worker's Docker has no service events to give). */
    Set<String> serviceActionSet() {
        return !swarmServices ? Set.of()
                : Arrays.stream(serviceActions.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    public String getServiceActions() {
        return serviceActions;
    }

    /** Comma-separated swarm service actions ({@code create,update,remove}) that sync the service they name. */
    public void setServiceActions(String serviceActions) {
        this.serviceActions = serviceActions == null ? "" : serviceActions;
    }

    public boolean isSwarmServices() {
        return swarmServices;
    }

    /** registrator.swarm-services: follow swarm services' events. */
    public void setSwarmServices(boolean swarmServices) {
        this.swarmServices = swarmServices;
    }

    public int getWorkers() {
        return workers;
    }

    /** How many containers are synced in parallel; events of one container are never processed at once. */
    public void setWorkers(int workers) {
        this.workers = workers;
    }

    public long getInitialBackoff() {
        return initialBackoff;
    }

    public void setInitialBackoff(long initialBackoff) {
        this.initialBackoff = initialBackoff;
    }

    public long getMaxBackoff() {
        return maxBackoff;
    }

    public void setMaxBackoff(long maxBackoff) {
        this.maxBackoff = maxBackoff;
    }
}
