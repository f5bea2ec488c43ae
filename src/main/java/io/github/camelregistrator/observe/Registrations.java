package io.github.camelregistrator.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.camelregistrator.layout.Entry;
import io.github.camelregistrator.service.Skip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last sync of each container on this host: what the mapping made of it, when, and what
 * triggered it (a Docker event, an etcd watch event, a full pass). Bounded by the containers on
 * this host: a container leaves when Docker no longer knows it.
 */
public final class Registrations {
    private static final Logger LOG = LoggerFactory.getLogger("registrator");
    public static final String EVENT = "event";
    public static final String WATCH = "watch";
    public static final String RESYNC = "resync";
    /** A guard only: Docker hosts run far fewer containers. */
    private static final int MAX = 10_000;

    /** One container's last sync. */
    public record Synced(Mapped mapped, Instant at, String trigger) {
    }

    private final Map<String, Synced> byId = new ConcurrentHashMap<>();
    private final boolean dryRun;
    private final AtomicBoolean planPrinted = new AtomicBoolean();

    public Registrations(boolean dryRun) {
        this.dryRun = dryRun;
    }

    public void synced(Mapped mapped, String trigger) {
        if (byId.size() >= MAX && !byId.containsKey(mapped.id())) {
            return;
        }
        byId.put(mapped.id(), new Synced(mapped, Instant.now(), trigger));
    }

    /** Docker no longer knows the container. */
    public void gone(String id) {
        byId.remove(id);
    }

    public Synced get(String id) {
        return byId.get(id);
    }

    public Collection<Synced> all() {
        return new ArrayList<>(byId.values());
    }

    /**
     * Forgets containers Docker no longer lists (a query lists stopped ones too), but not one
     * synced since the listing began: it may have started after.
     */
    public void retainOnly(Set<String> ids, Instant listed) {
        byId.entrySet().removeIf(e -> !ids.contains(e.getKey()) && e.getValue().at().isBefore(listed));
    }

    /**
     * A full pass saw these running containers: the others are stopped or gone. Stopped ones stay
     * (a pass lists only running containers), unless they were running at their last sync.
     */
    public void passed(Set<String> running) {
        byId.entrySet().removeIf(e -> !running.contains(e.getKey()) && !is(e.getValue().mapped(), Skip.Kind.STOPPED)
                && !is(e.getValue().mapped(), Skip.Kind.KEPT));
        if (dryRun && planPrinted.compareAndSet(false, true)) {
            LOG.info("dry-run plan of this host, after the first full pass:\n{}", Plan.table(all()));
        }
    }

    /** A watch event queued the key again: the containers that want it were synced by it. */
    public void watched(String key) {
        Instant now = Instant.now();
        byId.replaceAll((id, s) -> wants(s.mapped(), key) ? new Synced(s.mapped(), now, WATCH) : s);
    }

    private static boolean wants(Mapped m, String key) {
        if (m.layouts() == null) {
            return false;
        }
        for (List<Entry> entries : m.layouts().values()) {
            for (Entry e : entries) {
                if (e.key().equals(key)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the container has no services for this reason. */
    static boolean is(Mapped m, Skip.Kind kind) {
        return m.skip() != null && m.skip().kind() == kind;
    }
}
