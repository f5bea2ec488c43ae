package io.github.camelregistrator.etcd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import io.github.camelregistrator.layout.Entry;

/**
 * What etcd should hold for this host, built from each container's entries, with Kontena's
 * merge rules: a key several containers produce stays while any of them runs, and differing
 * values resolve to the smallest one. Each container's entries carry the stamp of the inspect
 * they came from, so an older inspect never overwrites a newer one, whichever finishes last.
 * Not thread-safe: the {@link Registry} guards it.
 */
public final class DesiredState {

    private record Contribution(long stamp, List<Entry> entries) {
    }

    private final Map<String, Contribution> byContainer = new HashMap<>();
    private final Map<String, Map<String, Entry>> byKey = new HashMap<>();
    private final Consumer<String> conflicts;

    /** @param conflicts told, once per change, of each key with differing values */
    public DesiredState(Consumer<String> conflicts) {
        this.conflicts = conflicts;
    }

    /**
     * Sets one container's entries (empty when it is gone).
     *
     * @return the keys whose desired value may have changed; empty when the stamp is older
     *         than what is already known for this container
     */
    public Set<String> put(String containerId, long stamp, List<Entry> entries) {
        Contribution old = byContainer.get(containerId);
        if (old != null && old.stamp > stamp) {
            return Set.of();
        }
        Set<String> affected = new HashSet<>();
        if (old != null) {
            for (Entry e : old.entries) {
                affected.add(e.key());
                Map<String, Entry> holders = byKey.get(e.key());
                holders.remove(containerId);
                if (holders.isEmpty()) {
                    byKey.remove(e.key());
                }
            }
        }
        // a gone container keeps a tombstone, so a stale snapshot cannot bring it back
        byContainer.put(containerId, new Contribution(stamp, List.copyOf(entries)));
        for (Entry e : entries) {
            affected.add(e.key());
            byKey.computeIfAbsent(e.key(), k -> new TreeMap<>()).merge(containerId, e, DesiredState::smaller);
        }
        for (String key : affected) {
            reportConflict(key);
        }
        return affected;
    }

    /**
     * Replaces everything with a full snapshot taken at {@code stamp}: containers the snapshot
     * lacks are gone unless something newer than the snapshot said otherwise, and a container
     * whose list is null keeps what it had.
     *
     * @return every key that was or is desired
     */
    public Set<String> replaceAll(long stamp, Map<String, List<Entry>> snapshot) {
        Set<String> affected = new HashSet<>(byKey.keySet());
        // tombstones older than this snapshot are superseded by it
        byContainer.entrySet().removeIf(e -> e.getValue().entries.isEmpty() && e.getValue().stamp < stamp);
        for (String id : new ArrayList<>(byContainer.keySet())) {
            if (!snapshot.containsKey(id)) {
                affected.addAll(put(id, stamp, List.of()));
            }
        }
        snapshot.forEach((id, entries) -> {
            if (entries != null) {
                affected.addAll(put(id, stamp, entries));
            }
        });
        affected.addAll(byKey.keySet());
        return affected;
    }

    /** The value etcd should hold at key, or null when none. */
    public String value(String key) {
        Entry e = entry(key);
        return e == null ? null : e.value();
    }

    /** The entry etcd should hold at key (the smallest value wins), or null when none. */
    public Entry entry(String key) {
        Map<String, Entry> holders = byKey.get(key);
        if (holders == null) {
            return null;
        }
        Entry min = null;
        for (Entry e : holders.values()) {
            min = min == null ? e : smaller(min, e);
        }
        return min;
    }

    public Set<String> keys() {
        return byKey.keySet();
    }

    /** Owners with at least one entry, of those the predicate takes (containers, or swarm services). */
    public int owners(java.util.function.Predicate<String> which) {
        return (int) byContainer.entrySet().stream().filter(c -> !c.getValue().entries.isEmpty() && which.test(c.getKey())).count();
    }

    private final Map<String, Set<String>> reported = new HashMap<>();

    private void reportConflict(String key) {
        Map<String, Entry> holders = byKey.get(key);
        Set<String> values = new TreeSet<>();
        if (holders != null) {
            holders.values().forEach(e -> values.add(e.value()));
        }
        if (values.size() > 1) {
            if (!values.equals(reported.get(key))) {
                reported.put(key, values);
                conflicts.accept("key " + key + " has " + values.size() + " values from containers "
                        + holders.keySet() + "; keeping the smallest, " + value(key));
            }
        } else {
            reported.remove(key);
        }
    }

    private static Entry smaller(Entry a, Entry b) {
        return a.value().compareTo(b.value()) <= 0 ? a : b;
    }
}
