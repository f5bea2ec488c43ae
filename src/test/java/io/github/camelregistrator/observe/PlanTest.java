package io.github.camelregistrator.observe;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.camelregistrator.layout.Entry;
import io.github.camelregistrator.service.Skip;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlanTest {

    private static Registrations.Synced synced(String name, Skip skip, Map<String, List<Entry>> layouts) {
        return new Registrations.Synced(new Mapped(name + "-id", name, "img", skip, List.of(), layouts, null), Instant.EPOCH,
                Registrations.RESYNC);
    }

    @Test
    void oneRowPerKeyInColumnsByContainerName() {
        String table = Plan.table(List.of(
                synced("web", null, Map.of("registrator", List.of(new Entry("/services/web/h:web:80", "10.0.0.5:32768")))),
                synced("api", null, Map.of("registrator", List.of(new Entry("/services/api/h:api:80", "10.0.0.5:1")))),
                synced("idle", Skip.of(Skip.Kind.NO_PORTS, "no published ports"), Map.of())));
        assertEquals("""
                CONTAINER  LAYOUT       KEY                     VALUE
                api        registrator  /services/api/h:api:80  10.0.0.5:1
                web        registrator  /services/web/h:web:80  10.0.0.5:32768
                2 key(s) of 2 container(s); 1 container(s) without services \
                (GET /observe/registrations or `explain <container>` says why)""", table);
    }

    @Test
    void aWatchEventMarksTheContainersThatWantTheKey() {
        Registrations r = new Registrations(false);
        r.synced(synced("web", null, Map.of("registrator", List.of(new Entry("/k", "v")))).mapped(), Registrations.EVENT);
        r.synced(synced("api", null, Map.of("registrator", List.of(new Entry("/other", "v")))).mapped(), Registrations.EVENT);
        r.watched("/k");
        assertEquals(Registrations.WATCH, r.get("web-id").trigger());
        assertEquals(Registrations.EVENT, r.get("api-id").trigger());
        // a pass that no longer sees a running container forgets it; a stopped one stays until removed
        r.synced(Mapped.stopped("api-id", "api", Skip.of(Skip.Kind.STOPPED, "not running")), Registrations.EVENT);
        r.passed(java.util.Set.of());
        assertEquals(null, r.get("web-id"));
        assertEquals("api", r.get("api-id").mapped().name());
    }
}
