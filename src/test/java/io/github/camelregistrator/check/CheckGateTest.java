package io.github.camelregistrator.check;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.github.camelregistrator.health.Metrics;
import io.github.camelregistrator.service.ContainerServices;
import io.github.camelregistrator.service.ServiceMapper;
import io.github.camelregistrator.service.Skip;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gate after the mapping: which services a check holds back, and where each probe goes. */
class CheckGateTest {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Function<String, InspectContainerResponse> NONE = ref -> null;
    private final Probes probes = new Probes();
    private final HealthChecks checks = new HealthChecks(probes, Metrics.none());
    private final CheckGate gate = new CheckGate(checks);
    private final ServiceMapper mapper = new ServiceMapper("h", "10.0.0.5", false, false);

    @AfterEach
    void close() {
        probes.close();
    }

    /** A running container publishing 80 and 81, on the bridge at 172.17.0.9 unless the network mode says otherwise. */
    private static InspectContainerResponse inspect(String id, String networkMode, Map<String, String> labels) throws Exception {
        return inspect(id, networkMode, labels, true);
    }

    private static InspectContainerResponse inspect(String id, String networkMode, Map<String, String> labels, boolean running)
            throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("Id", id);
        root.put("Name", "/" + id);
        root.putObject("State").put("Running", running).put("Paused", false);
        ObjectNode config = root.putObject("Config");
        config.put("Image", "app");
        ObjectNode l = config.putObject("Labels");
        labels.forEach(l::put);
        ObjectNode exposed = config.putObject("ExposedPorts");
        ObjectNode settings = root.putObject("NetworkSettings");
        settings.put("IPAddress", networkMode.equals("default") ? "172.17.0.9" : "");
        ObjectNode ports = settings.putObject("Ports");
        for (String p : List.of("80/tcp", "81/tcp")) {
            exposed.putObject(p);
            ports.putArray(p).addObject().put("HostIp", "0.0.0.0").put("HostPort", p.startsWith("80") ? "32780" : "32781");
        }
        root.putObject("HostConfig").put("NetworkMode", networkMode);
        return JSON.treeToValue(root, InspectContainerResponse.class);
    }

    private ContainerServices gated(InspectContainerResponse i, Function<String, InspectContainerResponse> inspector) {
        return gate.apply(i, mapper.map(i), inspector);
    }

    private static List<Integer> ports(ContainerServices s) {
        return s.services().stream().map(x -> x.privatePort()).toList();
    }

    @Test
    void aServiceWithoutCheckIsNotHeldBack() throws Exception {
        ContainerServices s = gated(inspect("a", "default", Map.of()), NONE);
        assertEquals(List.of(80, 81), ports(s));
        assertTrue(checks.views("a").isEmpty());
    }

    @Test
    void aCriticalCheckHoldsBackItsPortOnly() throws Exception {
        ContainerServices s = gated(inspect("b", "default", Map.of("SERVICE_80_CHECK_HTTP", "/health")), NONE);
        assertEquals(List.of(81), ports(s));
        assertNull(s.skip());
        CheckView v = checks.views("b").get(0);
        assertEquals("http://172.17.0.9:80/health", v.target());
        assertEquals("critical", v.state());
    }

    @Test
    void checksOnEveryPortHoldBackTheContainer() throws Exception {
        ContainerServices s = gated(inspect("c", "default", Map.of("SERVICE_CHECK_TCP", "true")), NONE);
        assertEquals(List.of(), ports(s));
        assertEquals(Skip.Kind.FAILING_CHECK, s.skip().kind());
        assertEquals(List.of("172.17.0.9:80", "172.17.0.9:81"), checks.views("c").stream().map(CheckView::target).toList());
    }

    @Test
    void initiallyPassingAndRefusedChecksHoldNothingBack() throws Exception {
        assertEquals(List.of(80, 81), ports(gated(inspect("d", "default",
                Map.of("SERVICE_CHECK_TCP", "true", "SERVICE_CHECK_INITIAL_STATUS", "passing")), NONE)));
        assertEquals(List.of(80, 81), ports(gated(inspect("e", "default", Map.of("SERVICE_CHECK_SCRIPT", "x")), NONE)));
        assertEquals("refused", checks.views("e").get(0).state());
    }

    @Test
    void probesGoToLoopbackWithHostNetworkAndToTheOwnerWithASharedOne() throws Exception {
        gated(inspect("f", "host", Map.of("SERVICE_CHECK_TCP", "true")), NONE);
        assertEquals("127.0.0.1:80", checks.views("f").get(0).target());
        InspectContainerResponse owner = inspect("owner", "default", Map.of());
        gated(inspect("g", "container:owner", Map.of("SERVICE_CHECK_TCP", "true")), ref -> ref.equals("owner") ? owner : null);
        assertEquals("172.17.0.9:80", checks.views("g").get(0).target());
        gated(inspect("h", "container:gone", Map.of("SERVICE_CHECK_TCP", "true")), NONE);
        assertNull(checks.views("h").get(0).target());
    }

    @Test
    void aStateGoesWithItsContainerAndSurvivesAnUnchangedSync() throws Exception {
        InspectContainerResponse i = inspect("k", "default", Map.of("SERVICE_CHECK_TCP", "true"));
        gated(i, NONE);
        assertEquals(2, checks.size());
        gated(i, NONE);
        assertEquals(2, checks.size());
        // stopped: no services, no checks
        gated(inspect("k", "default", Map.of("SERVICE_CHECK_TCP", "true"), false), NONE);
        assertEquals(0, checks.size());
    }

    @Test
    void aFullPassForgetsOnlyContainersItDidNotSeeAndThatSyncedBeforeItsListing() throws Exception {
        gated(inspect("old", "default", Map.of("SERVICE_CHECK_TCP", "true")), NONE);
        long listed = System.nanoTime();
        gated(inspect("new", "default", Map.of("SERVICE_CHECK_TCP", "true")), NONE);
        checks.retainOnly(java.util.Set.of(), listed);
        assertTrue(checks.views("old").isEmpty());
        assertEquals(2, checks.views("new").size());
    }
}
