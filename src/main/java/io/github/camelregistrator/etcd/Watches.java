package io.github.camelregistrator.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.etcd.jetcd.common.exception.CompactedException;
import io.github.camelregistrator.health.Causes;
import io.github.camelregistrator.queue.Backoff;
import io.github.camelregistrator.queue.Threads;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The informers of etcd: one camel-etcd3 watch route per layout prefix and one on the host record
 * (routes/watch.yaml). camel-etcd3's consumer resumes from its last revision forever, which never
 * works once etcd compacted past it or was replaced by a new etcd; so on such an error, or after
 * an outage, every watch route is made anew from the template, watching from now, and a full pass
 * re-reads the prefixes: nothing that happened in between is missed. Also the consumers' error
 * handler: an error is one log line, never a stack trace.
 */
public class Watches extends ServiceSupport implements ExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger("registrator");
    public static final String ROUTE = "watch:";
    private static final long QUIET_MS = 60_000;

    private final CamelContext context;
    private final List<String[]> watched = new ArrayList<>();
    private final Runnable resync;
    private final Backoff backoff = new Backoff(100, 30_000);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ScheduledExecutorService thread = Threads.scheduler("registrator-watches");
    private volatile long lastRestart;
    private volatile boolean watching;

    /** @param resync runs a full pass, which re-reads every prefix */
    public Watches(CamelContext context, Runnable resync) {
        this.context = context;
        this.resync = resync;
    }

    /** Watches a key, or every key under a prefix ending in '/'. */
    public Watches watch(String keyOrPrefix) {
        watched.add(new String[] {keyOrPrefix, String.valueOf(keyOrPrefix.endsWith("/"))});
        return this;
    }

    /** Adds the watch routes; called once the context has started. */
    public synchronized void watchAll() throws Exception {
        for (String[] w : watched) {
            TemplatedRouteBuilder.builder(context, "owned-keys-watch")
                    .routeId(ROUTE + w[0]).parameter("path", w[0]).parameter("prefix", w[1]).add();
            // camel-etcd3's endpoint ignores the exceptionHandler option; its consumer still takes one
            Route route = context.getRoute(ROUTE + w[0]);
            if (route != null && route.getConsumer() instanceof DefaultConsumer consumer) {
                consumer.setExceptionHandler(this);
            }
        }
        watching = true;
    }

    /** The watches may have missed what they cannot replay: make them anew soon, once, with backoff. */
    public void restart(String why) {
        if (!watching || !context.getStatus().isStarted() || !scheduled.compareAndSet(false, true)) {
            return;
        }
        if (System.currentTimeMillis() - lastRestart > QUIET_MS) {
            backoff.forgetAll();
        }
        long delay = backoff.next("watches");
        LOG.info("etcd watches restart in {} ms: {}", delay, why);
        try {
            thread.schedule(this::restartNow, delay, TimeUnit.MILLISECONDS);
        } catch (RuntimeException stopping) {
            scheduled.set(false);
        }
    }

    private synchronized void restartNow() {
        scheduled.set(false);
        if (!context.getStatus().isStarted()) {
            return; // stopping: the routes go with the context
        }
        lastRestart = System.currentTimeMillis();
        try {
            for (String[] w : watched) {
                String id = ROUTE + w[0];
                if (context.getRoute(id) != null) {
                    context.getRouteController().stopRoute(id, 2, TimeUnit.SECONDS);
                    context.removeRoute(id);
                }
            }
            watching = false;
            watchAll();
        } catch (Exception e) {
            LOG.warn("etcd watches not restarted: {}; retrying", EtcdCalls.message(e));
            watching = true;
            restart("the last restart failed");
            return;
        }
        // watching from now first, re-reading second: nothing in between is missed
        resync.run();
    }

    /** With the context: no restart is scheduled after it stopped. */
    @Override
    protected void doStop() {
        thread.shutdownNow();
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        CompactedException compacted = Causes.find(exception, CompactedException.class);
        if (compacted != null) {
            restart("a watch fell behind etcd's compaction at revision " + compacted.getCompactedRevision());
        } else {
            // etcd unreachable: jetcd resumes the watch itself, and the outage's end restarts it anyway
            LOG.debug("etcd watch error: {}", EtcdCalls.message(exception));
        }
    }
}
