package io.github.camelregistrator.docker;

import java.util.Map;
import java.util.function.Supplier;

import com.github.dockerjava.api.DockerClient;
import io.github.camelregistrator.health.Fault;
import io.github.camelregistrator.health.Metrics;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code docker-events:containers}: Docker's container events as a route source that survives
 * Docker restarts. camel-docker's own events consumer stops delivering after one and never
 * says so; this one reconnects with backoff and announces every (re)connect.
 */
public class DockerEventsComponent extends DefaultComponent {
    private final Supplier<DockerClient> clients;
    private final Metrics metrics;
    private final Fault unreachable;
    private volatile boolean connected;
    private volatile java.util.function.Predicate<String> running = id -> true;
    private volatile java.util.function.Predicate<String> held = id -> true;
    private volatile java.util.function.Consumer<String> sync = id -> {
    };

    /**
     * @param clients makes a fresh streaming client for each connection attempt
     * @param host    where the engine is, for log lines
     */
    public DockerEventsComponent(Supplier<DockerClient> clients, String host, Metrics metrics) {
        this.clients = clients;
        this.metrics = metrics;
        this.unreachable = new Fault("docker unreachable at " + host);
    }

    /**
     * Queues a sync of this container as an event of it would (coalesced with its pending
     * events); used when what it registers depends on another container that changed.
     */
    public void sync(String containerId) {
        sync.accept(containerId);
    }

    /** @param running whether a container was last seen running: only then can a network event change it */
    public void followNetworksOf(java.util.function.Predicate<String> running) {
        this.running = running;
    }

    boolean followsNetworksOf(String containerId) {
        return running.test(containerId);
    }

    /**
     * @param held whether a container still counts (registered, or kept after a failure): only
     *             then can its destroy change anything; the die before it removed the rest
     */
    public void followDestroyOf(java.util.function.Predicate<String> held) {
        this.held = held;
    }

    boolean followsDestroyOf(String containerId) {
        return held.test(containerId);
    }

    void onSync(java.util.function.Consumer<String> sync) {
        this.sync = sync;
    }

    /** Whether an event stream is connected now. */
    public boolean isConnected() {
        return connected;
    }

    /** Why no event stream is connected while Docker fails to answer, else null. */
    public String fault() {
        return unreachable.reason();
    }

    void connected(boolean connected) {
        this.connected = connected;
        if (connected) {
            unreachable.cleared();
        }
    }

    /** A connection attempt failed: logged as one bounded fault, not once per attempt. */
    void unreachable(String why) {
        unreachable.occurred(why);
    }

    Metrics metrics() {
        return metrics;
    }


    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        DockerEventsEndpoint endpoint = new DockerEventsEndpoint(uri, this, clients);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
