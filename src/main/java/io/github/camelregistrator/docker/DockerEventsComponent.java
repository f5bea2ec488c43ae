package io.github.camelregistrator.docker;

import java.util.Map;
import java.util.function.Supplier;

import com.github.dockerjava.api.DockerClient;
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
    private final String host;
    private final Metrics metrics;
    private volatile boolean connected;
    private volatile java.util.function.Consumer<String> sync = id -> {
    };

    /**
     * @param clients makes a fresh streaming client for each connection attempt
     * @param host    where the engine is, for log lines
     */
    public DockerEventsComponent(Supplier<DockerClient> clients, String host, Metrics metrics) {
        this.clients = clients;
        this.host = host;
        this.metrics = metrics;
    }

    /**
     * Queues a sync of this container as an event of it would (coalesced with its pending
     * events); used when what it registers depends on another container that changed.
     */
    public void sync(String containerId) {
        sync.accept(containerId);
    }

    void onSync(java.util.function.Consumer<String> sync) {
        this.sync = sync;
    }

    /** Whether an event stream is connected now. */
    public boolean isConnected() {
        return connected;
    }

    void connected(boolean connected) {
        this.connected = connected;
    }

    Metrics metrics() {
        return metrics;
    }

    String host() {
        return host;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        DockerEventsEndpoint endpoint = new DockerEventsEndpoint(uri, this, clients);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
