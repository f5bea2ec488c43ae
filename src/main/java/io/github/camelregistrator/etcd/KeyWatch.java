package io.github.camelregistrator.etcd;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCancelRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.camelregistrator.queue.Backoff;
import io.github.camelregistrator.queue.Threads;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch per key this host holds or wants, all on one gRPC stream: the host hears of its own
 * keys only, whatever the fleet writes beside them, and etcd carries one stream per host.
 * (jetcd's Watch opens a stream per watch, ~18 KB each in etcd; a watching on a shared stream
 * costs ~350 B.) A broken stream is reopened with backoff, each watch resuming after the last
 * revision it saw; a watch that fell behind a compaction resumes from it, and its key is read
 * again. Events go to the sink on one thread of their own, in order.
 */
public final class KeyWatch {
    private static final Logger LOG = LoggerFactory.getLogger("registrator");

    /** What the registry does when the stream itself tells something. */
    interface Listener {
        /** History of this key was compacted away: read it again. */
        void compacted(String key);

        /** The stream broke: etcd is unreachable, or was restarted. */
        void lost(String why);

        /** A new etcd: the stream's revision went back. Watches start again from now. */
        void replaced(String how);

        /** The stream is open again, after it broke. */
        void reopened();
    }

    /** A watched key: its watch id once etcd created it (-1 before), and where it resumes. */
    private static final class Watched {
        long id = -1;
        long next;

        Watched(long next) {
            this.next = next;
        }
    }

    private final WatchGrpc.WatchStub stub;
    private final Runnable connectNow;
    private final Listener listener;
    private final Map<String, Watched> keys = new HashMap<>();
    private final Map<Long, String> byId = new HashMap<>();
    /** Keys whose create request is on its way; etcd answers creates in order. */
    private final ArrayDeque<String> creating = new ArrayDeque<>();
    private final Set<Long> cancelling = new HashSet<>();
    private final Backoff backoff = new Backoff(50, 1000);
    private final ScheduledExecutorService reconnect = Threads.scheduler("registrator-watch-reconnect");
    private final ExecutorService events = Executors.newSingleThreadExecutor(Threads.daemon("registrator-watch"));
    private volatile Consumer<WatchEvent> sink;
    private StreamObserver<WatchRequest> stream;
    private Object generation;
    private long maxRevision;
    private boolean broken;
    private boolean closed;

    /** @param connectNow skips gRPC's reconnect backoff, so a reopen does not wait for it */
    KeyWatch(WatchGrpc.WatchStub stub, Runnable connectNow, Listener listener) {
        this.stub = stub;
        this.connectNow = connectNow;
        this.listener = listener;
    }

    /** Starts delivering events to the sink (the route's consumer); the stream opens now. */
    public synchronized void start(Consumer<WatchEvent> sink) {
        this.sink = sink;
        closed = false;
        open();
    }

    /** Stops the stream; the set of keys is kept for the next start. */
    public synchronized void stop() {
        sink = null;
        closed = true;
        close();
    }

    /** For good, with the registry. */
    synchronized void shutdown() {
        stop();
        reconnect.shutdownNow();
        events.shutdownNow();
    }

    /**
     * Watches the key from revision {@code from} (0: from now) unless it is watched already.
     * Called with the revision at which this host last learned the key's state, plus one.
     */
    synchronized void watch(String key, long from) {
        if (keys.containsKey(key)) {
            return;
        }
        Watched w = new Watched(from);
        keys.put(key, w);
        create(key, w);
    }

    synchronized void unwatch(String key) {
        Watched w = keys.remove(key);
        if (w != null && w.id >= 0) {
            byId.remove(w.id);
            cancel(w.id);
        }
    }

    /** Watches exactly these keys (a full pass): the new ones from {@code from}. */
    synchronized void watchOnly(Set<String> wanted, long from) {
        for (String key : Set.copyOf(keys.keySet())) {
            if (!wanted.contains(key)) {
                unwatch(key);
            }
        }
        wanted.forEach(key -> watch(key, from));
    }

    /** A new etcd: every watch starts again from now on a fresh stream. */
    synchronized void restartFromNow() {
        keys.values().forEach(w -> w.next = 0);
        maxRevision = 0;
        if (!closed) {
            close();
            open();
        }
    }

    private void open() {
        Object mine = new Object();
        generation = mine;
        byId.clear();
        creating.clear();
        cancelling.clear();
        try {
            stream = stub.watch(new Responses(mine));
        } catch (RuntimeException e) {
            failed(mine, e);
            return;
        }
        keys.forEach((key, w) -> {
            w.id = -1;
            create(key, w);
        });
    }

    private void close() {
        generation = null;
        if (stream != null) {
            try {
                stream.onCompleted();
            } catch (RuntimeException ignored) {
                // already broken
            }
            stream = null;
        }
    }

    private void create(String key, Watched w) {
        if (stream == null) {
            return;
        }
        creating.add(key);
        send(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(key)).setStartRevision(w.next)).build());
    }

    private void cancel(long id) {
        if (stream != null) {
            cancelling.add(id);
            send(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(id)).build());
        }
    }

    private void send(WatchRequest request) {
        try {
            stream.onNext(request);
        } catch (RuntimeException e) {
            // the stream broke: onError reopens it and re-creates every watch
            LOG.debug("etcd watch request not sent: {}", EtcdCalls.message(e));
        }
    }

    private synchronized void answered(Object mine, WatchResponse r) {
        if (mine != generation) {
            return;
        }
        if (r.hasHeader()) {
            long rev = r.getHeader().getRevision();
            if (r.getCreated() && rev < maxRevision) {
                String how = "revision went back from " + maxRevision + " to " + rev;
                maxRevision = rev;
                emit(() -> listener.replaced(how));
            }
            maxRevision = Math.max(maxRevision, rev);
        }
        if (broken && r.getCreated()) {
            broken = false;
            backoff.forgetAll();
            emit(listener::reopened);
        }
        if (r.getCreated()) {
            String key = creating.poll();
            Watched w = key == null ? null : keys.get(key);
            if (r.getCanceled()) {
                LOG.warn("etcd refused to watch key={}: {}", key, r.getCancelReason());
            } else if (w != null && w.id < 0) {
                w.id = r.getWatchId();
                byId.put(w.id, key);
                if (w.next == 0 && r.hasHeader()) {
                    // watching from now: a reopened stream resumes after this revision
                    w.next = r.getHeader().getRevision() + 1;
                }
            } else {
                cancel(r.getWatchId()); // unwatched, or watched anew, while its create was on its way
            }
        }
        String key = byId.get(r.getWatchId());
        if (r.getCanceled() && !r.getCreated()) {
            cancelling.remove(r.getWatchId());
            byId.remove(r.getWatchId());
            Watched w = key == null ? null : keys.get(key);
            if (w != null && r.getCompactRevision() > 0) {
                // history gone: resume from the compaction, and read the key as it is now
                w.id = -1;
                w.next = r.getCompactRevision();
                create(key, w);
                emit(() -> listener.compacted(key));
            }
            return;
        }
        Watched w = key == null ? null : keys.get(key);
        for (Event e : r.getEventsList()) {
            if (w != null) {
                w.next = Math.max(w.next, e.getKv().getModRevision() + 1);
            }
            Consumer<WatchEvent> to = sink;
            if (to != null && w != null) {
                WatchEvent event = new WatchEvent(new KeyValue(e.getKv(), ByteSequence.EMPTY), null,
                        e.getType() == Event.EventType.DELETE ? WatchEvent.EventType.DELETE : WatchEvent.EventType.PUT);
                emit(() -> to.accept(event));
            }
        }
    }

    /** Hands a change to the events thread; none once shut down. */
    private void emit(Runnable r) {
        try {
            events.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // shut down with the registry
        }
    }

    private synchronized void failed(Object mine, Throwable e) {
        if (mine != generation || closed) {
            return;
        }
        generation = null;
        stream = null;
        if (!broken) {
            broken = true;
            String why = EtcdCalls.message(e);
            emit(() -> listener.lost(why));
        }
        long delay = backoff.next("stream");
        try {
            reconnect.schedule(this::reopen, delay, TimeUnit.MILLISECONDS);
        } catch (RuntimeException stopping) {
            // shut down
        }
    }

    private synchronized void reopen() {
        if (!closed && generation == null) {
            connectNow.run();
            open();
        }
    }

    /** Answers of one stream; those of a stream already replaced are ignored. */
    private final class Responses implements StreamObserver<WatchResponse> {
        private final Object mine;

        Responses(Object mine) {
            this.mine = mine;
        }

        @Override
        public void onNext(WatchResponse r) {
            answered(mine, r);
        }

        @Override
        public void onError(Throwable t) {
            failed(mine, t);
        }

        @Override
        public void onCompleted() {
            failed(mine, new IllegalStateException("etcd closed the watch stream"));
        }
    }
}
