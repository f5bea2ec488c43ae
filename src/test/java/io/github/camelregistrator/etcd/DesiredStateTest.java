package io.github.camelregistrator.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.camelregistrator.layout.Entry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DesiredStateTest {
    private final List<String> warnings = new ArrayList<>();
    private final DesiredState state = new DesiredState(warnings::add);

    @Test
    void sharedKeyWithOneValueStaysWhileEitherContainerRuns() {
        state.put("a", 1, List.of(new Entry("/k", "v")));
        state.put("b", 2, List.of(new Entry("/k", "v")));
        state.put("a", 3, List.of());
        assertEquals("v", state.value("/k"));
        state.put("b", 4, List.of());
        assertNull(state.value("/k"));
        assertTrue(warnings.isEmpty());
    }

    @Test
    void conflictingValuesResolveToTheSmallestWithOneWarning() {
        state.put("a", 1, List.of(new Entry("/k", "10.0.0.9:80")));
        state.put("b", 2, List.of(new Entry("/k", "10.0.0.1:80")));
        assertEquals("10.0.0.1:80", state.value("/k"));
        state.put("b", 3, List.of(new Entry("/k", "10.0.0.1:80")));
        assertEquals(1, warnings.size());
        state.put("b", 4, List.of());
        assertEquals("10.0.0.9:80", state.value("/k"));
    }

    @Test
    void ownersAreCountedByKindAndOnlyWhileTheyHaveEntries() {
        state.put("c1", 1, List.of(new Entry("/a", "1")));
        state.put("c2", 2, List.of());
        state.put("swarm-service:s1", 3, List.of(new Entry("/vip", "10.0.0.2:80")));
        assertEquals(1, state.owners(owner -> !owner.startsWith("swarm-service:")));
        assertEquals(1, state.owners(owner -> owner.startsWith("swarm-service:")));
        assertEquals(2, state.owners(owner -> true));
        state.put("c1", 4, List.of());
        assertEquals(0, state.owners(owner -> !owner.startsWith("swarm-service:")));
    }

    @Test
    void olderInspectNeverOverwritesNewer() {
        state.put("a", 5, List.of());
        assertEquals(Set.of(), state.put("a", 4, List.of(new Entry("/k", "v"))));
        assertNull(state.value("/k"));
    }

    @Test
    void snapshotRemovesWhatItLacksButKeepsNewerSyncs() {
        state.put("gone", 1, List.of(new Entry("/old", "x")));
        state.put("newer", 10, List.of(new Entry("/new", "y")));
        Set<String> affected = state.replaceAll(5, Map.of("kept", List.of(new Entry("/kept", "z"))));
        assertNull(state.value("/old"));
        assertEquals("y", state.value("/new"));
        assertEquals("z", state.value("/kept"));
        assertTrue(affected.containsAll(Set.of("/old", "/new", "/kept")));
        // an inspect that started before the snapshot cannot bring the gone container back
        state.put("gone", 2, List.of(new Entry("/old", "x")));
        assertNull(state.value("/old"));
    }
}
