package io.github.camelregistrator.service;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static io.github.camelregistrator.service.ServiceMapperTest.inspect;
import static io.github.camelregistrator.service.ServiceMapperTest.mapper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Label and environment values over 64 KiB: dropped, or the container refused when the mapping reads them. */
class LargeValuesTest {
    @Test
    void droppedUnlessTheMappingReadsThem() throws Exception {
        String marker = LargeValues.marker(1 << 20);
        ServiceMapper m = mapper(false, "ip", true, List.of("VS"));
        ContainerServices kept = m.map(inspect("web", "nginx", Map.of("blob", marker, "small", "s"),
                List.of("DATA=" + "x".repeat(LargeValues.LIMIT + 1), "PATH=/bin"), "80/tcp=1"));
        assertEquals(1, kept.services().size());
        assertEquals(List.of("label blob", "env DATA"), kept.container().dropped());
        assertEquals(Map.of("small", "s"), kept.container().labels());
        assertEquals(Map.of("small", "s", "PATH", "/bin"), kept.container().vars());
        for (String read : List.of("SERVICE_NAME", "SERVICE_80_TAGS", "registrator.require-healthy", "ip", "VS_80_BACKEND_ID")) {
            BadMetadataException e = assertThrows(BadMetadataException.class,
                    () -> m.map(inspect("web", "nginx", Map.of(read, marker), List.of(), "80/tcp=1")));
            assertEquals("label " + read + " is 1048576 characters long (at most 65536)", e.getMessage());
        }
        assertThrows(BadMetadataException.class, () -> m.map(inspect("web", "nginx", Map.of(),
                List.of("SERVICE_ID=" + marker), "80/tcp=1")));
        // without the vulcand layout, VS_* is nobody's
        assertEquals(List.of("label VS_80_BACKEND_ID"), mapper(false, null, true, List.of())
                .map(inspect("web", "nginx", Map.of("VS_80_BACKEND_ID", marker), List.of(), "80/tcp=1")).container().dropped());
    }

    @Test
    void markersCarryTheLength() {
        assertEquals(70_000, LargeValues.length(LargeValues.marker(70_000)));
        assertEquals(-1, LargeValues.length("registrator-oversized:5"));
        assertEquals(-1, LargeValues.length(null));
    }
}
