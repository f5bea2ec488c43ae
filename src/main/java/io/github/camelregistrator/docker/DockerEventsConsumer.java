package io.github.camelregistrator.docker;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventActor;
import com.github.dockerjava.api.model.EventType;
import io.github.camelregistrator.health.Causes;
import io.github.camelregistrator.queue.Backoff;
import io.github.camelregistrator.queue.Threads;
import io.github.camelregistrator.queue.WorkQueue;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.docker.DockerConstants;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the container event stream, and the network connect and disconnect events, which name
 * the container whose addresses changed; reconnecting with backoff for as long as the route runs.
 * Each (re)connect emits one message with header {@value #EVENT} = {@code connected}, so the
 * route can run a full reconciliation. Events are queued per container and coalesced: a burst
 * of events of one container becomes one sync of its latest event, and one container is never
 * synced twice at once. A sync that fails (Docker or etcd) is queued again after its own backoff.
 */
public class DockerEventsConsumer extends DefaultConsumer {
    public static final String EVENT = "RegistratorEvent";
    public static final String ACTION = "RegistratorAction";
    /** System.nanoTime() when the event arrived, and when a worker took it: the first stages' timings. */
    public static final String RECEIVED = "RegistratorReceived";
    public static final String DEQUEUED = "RegistratorDequeued";
    /** A swarm service's event (registrator.swarm-services): {@value #EVENT} = {@code service}, and its id here. */
    public static final String SERVICE_ID = "RegistratorServiceId";
    /** Queue keys of swarm services, apart from container ids. */
    private static final String SERVICE_KEY = "swarm-service:";
    private static final Logger LOG = LoggerFactory.getLogger("registrator");
    private static final String CONNECTED = "\u0000connected";

    private final DockerEventsEndpoint endpoint;
    private final Set<String> actions;
    private final Set<String> networkActions;
    /** Empty unless registrator.swarm-services: only then are service events asked for. */
    private final Set<String> serviceActions;
    private final List<Thread> threads = new ArrayList<>();
    /**
     * Containers whose die came and no start since: the network disconnect that follows a
     * death says nothing the die did not, and arrives before a worker has handled the die.
     */
    private final Set<String> dead = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile WorkQueue<Arrival> queue;
    private volatile boolean running;
    private volatile Closeable stream;
    private ScheduledExecutorService retries;

    DockerEventsConsumer(DockerEventsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.actions = endpoint.actionSet();
        this.networkActions = endpoint.networkActionSet();
        this.serviceActions = endpoint.serviceActionSet();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        retries = Threads.scheduler("registrator-sync-retry");
        queue = new WorkQueue<>(new Backoff(100, 30_000), retries, () -> {
        });
        endpoint.events().onSync(id -> queue.addIfAbsent(id, new Arrival(slim("sync", id, null, null), System.nanoTime())));
        threads.add(thread("registrator-docker-events", this::follow));
        for (int i = 0; i < Math.max(1, endpoint.getWorkers()); i++) {
            threads.add(thread("registrator-sync-" + i, this::work));
        }
        threads.forEach(Thread::start);
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        endpoint.events().connected(false);
        endpoint.events().onSync(id -> {
        });
        queue.close();
        retries.shutdownNow();
        closeQuietly(stream);
        for (Thread t : threads) {
            t.interrupt();
            t.join(2000);
        }
        threads.clear();
        super.doStop();
    }

    private static Thread thread(String name, Runnable body) {
        return Threads.daemon(name).newThread(body);
    }

    private void follow() {
        long backoff = endpoint.getInitialBackoff();
        boolean everConnected = false;
        while (running) {
            DockerClient client = null;
            try {
                client = endpoint.clients().get();
                client.pingCmd().exec();
                // only the actions the route follows: Docker sends and this process parses nothing else
                ResultCallback.Adapter<Event> callback = client.eventsCmd()
                        .withEventTypeFilter(types())
                        .withEventFilter(subscribed())
                        .exec(new ResultCallback.Adapter<>() {
                            @Override
                            public void onNext(Event event) {
                                offer(event);
                            }
                        });
                callback.awaitStarted(10, TimeUnit.SECONDS);
                stream = callback;
                endpoint.events().connected(true);
                if (everConnected) {
                    endpoint.events().metrics().dockerReconnected();
                }
                LOG.info(everConnected ? "docker reconnected; reconciling" : "docker event stream connected");
                everConnected = true;
                backoff = endpoint.getInitialBackoff();
                // subscribed first, listed second: nothing that happens in between is missed
                queue.add(CONNECTED, null);
                callback.awaitCompletion();
                endpoint.events().connected(false);
                if (running) {
                    LOG.warn("docker event stream closed; reconnecting");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                endpoint.events().connected(false);
                if (running) {
                    endpoint.events().unreachable(Causes.message(e));
                }
            } finally {
                closeQuietly(stream);
                closeQuietly(client);
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, endpoint.getMaxBackoff());
        }
    }

    private void offer(Event event) {
        String action = event.getAction() != null ? event.getAction() : event.getStatus();
        if (action == null) {
            return;
        }
        if (event.getType() == EventType.NETWORK) {
            // a container joined or left a network: its addresses changed, so it is synced (inspected) again
            String container = attribute(event, "container");
            // a container's own start and death connect and disconnect it too: those events say
            // nothing its start or die does not, and inspecting a dying container waits ~100 ms
            if (container != null && networkActions.contains(action) && !dead.contains(container)
                    && endpoint.events().followsNetworksOf(container)) {
                endpoint.events().metrics().event(action);
                // never hides a pending start or die
                queue.addIfAbsent(container, new Arrival(slim(action, container, null, null), System.nanoTime()));
            }
            return;
        }
        if (event.getType() == EventType.SERVICE) {
            String service = event.getActor() == null ? null : event.getActor().getId();
            if (service != null && serviceActions.contains(action)) {
                endpoint.events().metrics().event("service_" + action);
                queue.add(SERVICE_KEY + service, new Arrival(new Event().withAction(action).withStatus(action)
                        .withType(EventType.SERVICE).withId(service), System.nanoTime()));
            }
            return;
        }
        if (event.getId() == null) {
            return;
        }
        int colon = action.indexOf(':');
        String type = colon >= 0 ? action.substring(0, colon) : action;
        if ("die".equals(type)) {
            dead.add(event.getId());
        } else if ("start".equals(type) || "destroy".equals(type)) {
            dead.remove(event.getId());
        }
        if (actions.contains(type)) {
            endpoint.events().metrics().event(type);
            if ("destroy".equals(type) && !endpoint.events().followsDestroyOf(event.getId())) {
                // its die removed everything: a sync would change nothing (explain forgets it at the next pass)
                return;
            }
            // only what the sync reads is queued: the event's attributes carry every label of the container
            Event slim = slim(action, event.getId(), attribute(event, "name"), attribute(event, "exitCode"));
            queue.add(event.getId(), new Arrival(slim, System.nanoTime()));
        }
    }

    /** The event filter: Docker matches {@code health_status} against every health result. */
    private String[] subscribed() {
        Set<String> all = new java.util.TreeSet<>(actions);
        all.addAll(networkActions);
        all.addAll(serviceActions);
        return all.toArray(String[]::new);
    }

    private EventType[] types() {
        List<EventType> types = new ArrayList<>(List.of(EventType.CONTAINER));
        if (!networkActions.isEmpty()) {
            types.add(EventType.NETWORK);
        }
        if (!serviceActions.isEmpty()) {
            types.add(EventType.SERVICE);
        }
        return types.toArray(EventType[]::new);
    }

    private static String attribute(Event event, String name) {
        return event.getActor() == null || event.getActor().getAttributes() == null ? null
                : event.getActor().getAttributes().get(name);
    }

    private static Event slim(String action, String containerId, String name, String exitCode) {
        Map<String, String> attributes = new java.util.HashMap<>();
        if (name != null) {
            attributes.put("name", name);
        }
        if (exitCode != null) {
            attributes.put("exitCode", exitCode);
        }
        return new Event().withAction(action).withStatus(action).withId(containerId).withType(EventType.CONTAINER)
                .withEventActor(new EventActor().withId(containerId).withAttributes(attributes));
    }

    private void work() {
        while (running) {
            Map.Entry<String, Arrival> item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (item == null) {
                return;
            }
            Exchange exchange = createExchange(false);
            try {
                if (CONNECTED.equals(item.getKey())) {
                    exchange.getMessage().setHeader(EVENT, "connected");
                } else if (item.getKey().startsWith(SERVICE_KEY)) {
                    exchange.getMessage().setHeader(EVENT, "service");
                    exchange.getMessage().setHeader(ACTION, item.getValue().event().getAction());
                    exchange.getMessage().setHeader(SERVICE_ID, item.getKey().substring(SERVICE_KEY.length()));
                } else {
                    Event event = item.getValue().event();
                    exchange.getMessage().setBody(event);
                    long dequeued = System.nanoTime();
                    endpoint.events().metrics().stage("queued", dequeued - item.getValue().nanos());
                    exchange.getMessage().setHeader(RECEIVED, item.getValue().nanos());
                    exchange.getMessage().setHeader(DEQUEUED, dequeued);
                    exchange.getMessage().setHeader(EVENT, "container");
                    exchange.getMessage().setHeader(ACTION, event.getAction());
                    exchange.getMessage().setHeader(DockerConstants.DOCKER_CONTAINER_ID, item.getKey());
                }
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            } finally {
                Exception failure = exchange.getException();
                releaseExchange(exchange, false);
                queue.done(item.getKey());
                if (failure == null) {
                    queue.forget(item.getKey());
                } else if (running) {
                    long delay = queue.addRateLimited(item.getKey(), item.getValue());
                    LOG.warn("sync failed container={}: {}; retrying in {} ms", item.getKey().startsWith("\u0000") ? "all"
                            : item.getKey(), Causes.message(failure), delay);
                }
            }
        }
    }

    private static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing a dead connection
            }
        }
    }

    /** An event and when it arrived: the newest of a burst stands for the burst. */
    private record Arrival(Event event, long nanos) {
    }
}
