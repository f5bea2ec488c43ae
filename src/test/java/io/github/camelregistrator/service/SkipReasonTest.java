package io.github.camelregistrator.service;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import org.junit.jupiter.api.Test;

import static io.github.camelregistrator.service.ServiceMapperTest.inspect;
import static io.github.camelregistrator.service.ServiceMapperTest.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mapper says why a container has no services, and never with a value the container set. */
class SkipReasonTest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static ServiceMapper mapper(boolean explicit, Pattern names, boolean requireHealthy, boolean keepFailed) {
        return new ServiceMapper(new ServiceMapper.Options("h", "10.0.0.5", explicit, false, names, List.of(), null,
                requireHealthy, keepFailed));
    }

    private static Skip skip(ServiceMapper m, InspectContainerResponse i) {
        ContainerServices s = m.map(i);
        assertTrue(s.services().isEmpty(), s.toString());
        return s.skip();
    }

    private static InspectContainerResponse state(ObjectNode tree, String field, Object value) throws Exception {
        ObjectNode state = (ObjectNode) tree.get("State");
        if (value instanceof Boolean b) {
            state.put(field, b);
        } else if (value instanceof Integer n) {
            state.put(field, n);
        } else {
            state.putObject("Health").put("Status", (String) value);
        }
        return JSON.treeToValue(tree, InspectContainerResponse.class);
    }

    @Test
    void eachEmptyMappingSaysWhy() throws Exception {
        ServiceMapper plain = mapper(false, null, false, false);
        assertEquals(Skip.Kind.NO_PORTS, skip(plain, inspect("web", "nginx", Map.of(), List.of(), "80/tcp")).kind());
        assertEquals(Skip.Kind.IGNORED, skip(plain, inspect("web", "nginx", Map.of("SERVICE_IGNORE", "1"), List.of(), "80/tcp=1")).kind());
        Skip perPort = skip(plain, inspect("web", "nginx", Map.of("SERVICE_80_IGNORE", "1"), List.of(), "80/tcp=1"));
        assertEquals(Skip.Kind.IGNORED, perPort.kind());
        assertTrue(perPort.detail().contains("SERVICE_<port>_IGNORE"), perPort.detail());
        Skip explicit = skip(mapper(true, null, false, false), inspect("web", "nginx", Map.of(), List.of(), "80/tcp=1"));
        assertEquals(Skip.Kind.EXPLICIT, explicit.kind());
        Skip filtered = skip(mapper(false, Pattern.compile("app.*"), false, false),
                inspect("web", "nginx", Map.of(), List.of(), "80/tcp=1"));
        assertEquals(Skip.Kind.NAME_FILTER, filtered.kind());
        assertTrue(filtered.detail().contains("registrator.names=app.*"), filtered.detail());
        assertNull(plain.map(inspect("web", "nginx", Map.of(), List.of(), "80/tcp=1")).skip());
    }

    @Test
    void stateGatesSayWhy() throws Exception {
        ServiceMapper gated = mapper(false, null, true, true);
        ObjectNode tree = tree("web", "nginx", Map.of(), List.of(), "80/tcp=1");
        Skip unhealthy = skip(gated, state(tree, "Health", "unhealthy"));
        assertEquals(Skip.Kind.UNHEALTHY, unhealthy.kind());
        assertTrue(unhealthy.detail().contains("says unhealthy"), unhealthy.detail());
        assertEquals(Skip.Kind.PAUSED, skip(gated, state(tree, "Paused", true)).kind());
        state(tree, "Running", false);
        Skip kept = skip(gated, state(tree, "ExitCode", 137));
        assertEquals(Skip.Kind.KEPT, kept.kind());
        assertTrue(kept.detail().contains("exited with code 137"), kept.detail());
        assertEquals(Skip.Kind.STOPPED, skip(mapper(false, null, false, false), state(tree, "ExitCode", 137)).kind());
        assertEquals(Skip.Kind.STOPPED, skip(gated, state(tree, "ExitCode", 0)).kind());
    }

    @Test
    void badMetadataNamesTheVariableNotItsValue() throws Exception {
        String secret = "s".repeat(2000);
        BadMetadataException e = org.junit.jupiter.api.Assertions.assertThrows(BadMetadataException.class,
                () -> mapper(false, null, false, false).map(inspect("web", "nginx", Map.of("SERVICE_NAME", secret),
                        List.of(), "80/tcp=1")));
        assertTrue(e.getMessage().startsWith("SERVICE_NAME is 2000 characters long"), e.getMessage());
        assertFalse(e.getMessage().contains("sss"), e.getMessage());
    }
}
