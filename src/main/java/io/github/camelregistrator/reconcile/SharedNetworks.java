package io.github.camelregistrator.reconcile;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which containers share another's network ({@code --net container:<x>}), so that an event of
 * x (a network move, a restart, its death) also syncs them: their address is x's. Only what
 * the sync of a dependant saw is known, so a full pass fills in whatever an event missed.
 */
public class SharedNetworks {
    private final Map<String, Set<String>> dependants = new ConcurrentHashMap<>();
    private volatile Consumer<String> sync = id -> {
    };

    /** Where the sync of a dependant is asked for: the event queue. */
    public void onSync(Consumer<String> sync) {
        this.sync = sync;
    }

    /** The container uses the network of {@code owner} (its full id, or the reference it gave when the owner is gone). */
    void uses(String containerId, String owner) {
        dependants.computeIfAbsent(owner, o -> ConcurrentHashMap.newKeySet()).add(containerId);
    }

    /** The container is gone, or its owner is: forget it either way. */
    void forget(String containerId) {
        dependants.remove(containerId);
        dependants.values().forEach(s -> s.remove(containerId));
        dependants.values().removeIf(Set::isEmpty);
    }

    /** Forgets what a full pass no longer saw. */
    void retainOnly(Set<String> containerIds) {
        dependants.keySet().retainAll(containerIds);
        dependants.values().forEach(s -> s.retainAll(containerIds));
        dependants.values().removeIf(Set::isEmpty);
    }

    /** An event of this container: sync every container that shares its network. */
    public void changed(String containerId) {
        Set<String> users = dependants.get(containerId);
        if (users != null) {
            users.forEach(sync);
        }
    }
}
