package io.github.camelregistrator.service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import org.junit.jupiter.api.Test;

import static io.github.camelregistrator.service.NetworksTest.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A swarm task's container, as Docker inspects it on a single-node swarm, made services. */
class SwarmTaskTest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The labels Docker gives the container of task {@code <service>.<slot>.<task>}. */
    static Map<String, String> taskLabels(String service, String slot, String task) {
        Map<String, String> labels = new HashMap<>();
        labels.put("com.docker.swarm.service.name", service);
        labels.put("com.docker.swarm.service.id", "mmwhdgcgl5n4ut1ix4gy9adby");
        labels.put("com.docker.swarm.task", "");
        labels.put("com.docker.swarm.task.id", task);
        labels.put("com.docker.swarm.task.name", service + "." + slot + "." + task);
        labels.put("com.docker.swarm.node.id", "kvy6bhn6jm5o81ccctheom6py");
        return labels;
    }

    /** A task container: network mode default, on ingress and an overlay, port 80 published in host mode. */
    private static InspectContainerResponse task(Map<String, String> labels) throws Exception {
        ObjectNode tree = on("default", "", labels, "ingress=10.0.0.4", "swx-net=10.0.1.3");
        tree.put("Name", "/" + labels.get("com.docker.swarm.task.name"));
        ObjectNode ports = (ObjectNode) tree.get("NetworkSettings").get("Ports");
        ports.remove("9000/tcp");
        ((ObjectNode) tree.get("Config").get("ExposedPorts")).remove("9000/tcp");
        return JSON.treeToValue(tree, InspectContainerResponse.class);
    }

    private static ServiceMapper mapper(boolean internal) {
        return new ServiceMapper(new ServiceMapper.Options("h", "10.0.0.5", false, internal, null, List.of(), null,
                false, false, true, List.of(), null));
    }

    @Test
    void theSlotIsTheMiddleOfTheTaskName() {
        // service, task id, task name, slot
        String[][] table = {
            {"web", "nfq5m5al", "web.1.nfq5m5al", "1"},
            {"web", "nfq5m5al", "web.12.nfq5m5al", "12"},
            {"my.web", "abc", "my.web.3.abc", "3"},
            // a global service's task: the node id stands in the middle
            {"agent", "t1", "agent.kvy6bhn6jm5o81ccctheom6py.t1", "kvy6bhn6jm5o81ccctheom6py"},
            // another form: the task id, so it is still registered
            {"web", "t1", "other.1.t1", "t1"},
            {"web", "t1", null, "t1"},
            {"web", "t1", "web..t1", "t1"},
        };
        for (String[] row : table) {
            assertEquals(row[3], SwarmTask.slot(row[0], row[1], row[2]), String.join(" ", java.util.Arrays.asList(row)));
        }
        assertNull(SwarmTask.of(Map.of("com.docker.swarm.service.name", "web")));
        assertNull(SwarmTask.of(Map.of()));
    }

    @Test
    void aTaskIsNamedAfterItsServiceAndKeyedByItsSlot() throws Exception {
        ContainerServices s = mapper(false).map(task(taskLabels("swx-svc", "2", "o9zwvuigzm")));
        Service web = s.services().get(0);
        assertEquals("swx-svc", web.name());
        assertEquals("h:swx-svc.2:80", web.id());
        assertEquals("10.0.0.5:32768", web.address());
        assertEquals(Map.of("swarm_service", "swx-svc", "swarm_task", "o9zwvuigzm", "swarm_slot", "2"), web.attributes());
        assertEquals(new SwarmTask("swx-svc", "mmwhdgcgl5n4ut1ix4gy9adby", "o9zwvuigzm", "2", "kvy6bhn6jm5o81ccctheom6py"),
                s.container().swarm());
        // the task that replaces it in its slot has the same id
        assertEquals("h:swx-svc.2:80", mapper(false).map(task(taskLabels("swx-svc", "2", "newtask"))).services().get(0).id());
    }

    @Test
    void labelsStillWinAndInternalModeTakesTheOverlay() throws Exception {
        Map<String, String> labels = taskLabels("swx-svc", "1", "t1");
        labels.put("SERVICE_NAME", "front");
        labels.put("SERVICE_ID", "own-id");
        labels.put("SERVICE_REGION", "eu");
        Service s = mapper(false).map(task(labels)).services().get(0);
        assertEquals("front", s.name());
        assertEquals("own-id", s.id());
        assertEquals("eu", s.attributes().get("region"));
        assertEquals("swx-svc", s.attributes().get("swarm_service"));

        Service internal = mapper(true).map(task(taskLabels("swx-svc", "1", "t1"))).services().get(0);
        assertEquals("10.0.1.3:80", internal.address());
        assertEquals(new Networks.Choice("swx-net", "10.0.1.3",
                "the first of its networks by name, ingress left out"), internal.network());
    }

    @Test
    void aTaskWithOnlyIngressPortsSaysHowToPublishThem() throws Exception {
        ObjectNode tree = on("default", "", taskLabels("swx-svc", "1", "t1"), "ingress=10.0.0.4", "swx-net=10.0.1.3");
        ((ObjectNode) tree.get("NetworkSettings")).putObject("Ports");
        ((ObjectNode) tree.get("Config")).putObject("ExposedPorts");
        Skip skip = mapper(false).map(JSON.treeToValue(tree, InspectContainerResponse.class)).skip();
        assertEquals(Skip.Kind.NO_PORTS, skip.kind());
        assertEquals("no published ports (a swarm task's ports published in ingress mode are not its own: publish with mode=host)",
                skip.detail());
        ObjectNode plain = ServiceMapperTest.tree("web", "nginx", Map.of(), List.of());
        assertEquals("no published ports", mapper(false).map(JSON.treeToValue(plain, InspectContainerResponse.class)).skip().detail());
    }

    @Test
    void aPlainContainerIsNoTask() throws Exception {
        ContainerServices s = mapper(false).map(ServiceMapperTest.inspect("web", "nginx", Map.of(), List.of(), "80/tcp=1"));
        assertNull(s.container().swarm());
        assertEquals(Map.of(), s.services().get(0).attributes());
    }
}
