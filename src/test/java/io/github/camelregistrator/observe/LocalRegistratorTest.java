package io.github.camelregistrator.observe;

import java.util.List;
import java.util.Set;

import io.github.camelregistrator.config.RuntimeRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which port explain asks, as a table. */
class LocalRegistratorTest {
    private static final RuntimeRecord NEWEST = new RuntimeRecord(12, 9799, "a", "2026-12-07T03:00:02Z");
    private static final RuntimeRecord OLDER = new RuntimeRecord(11, 9800, "b", "2026-12-07T03:00:01Z");

    private static int port(Set<String> given, String hostId, List<RuntimeRecord> running) {
        return LocalRegistrator.choose(given, 9712, hostId, running).port();
    }

    @Test
    void table() {
        assertEquals(9712, port(Set.of(), "a", List.of()), "none recorded: the default");
        assertEquals(9799, port(Set.of(), "other", List.of(NEWEST, OLDER)), "the newest, whatever its host-id");
        assertEquals(9800, port(Set.of("registrator.host-id"), "b", List.of(NEWEST, OLDER)), "the given host-id's");
        assertEquals(9712, port(Set.of("registrator.host-id"), "c", List.of(NEWEST, OLDER)), "none of that host-id");
        assertEquals(9712, port(Set.of("registrator.http-port"), "a", List.of(NEWEST)), "a given port wins");
    }
}
