package io.github.camelregistrator.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Swarm tasks on a real single-node swarm: named after their service, keyed by their slot,
 * followed through scaling and replacement, and in internal mode on their overlay network.
 * The engine is in swarm mode only while this class runs, and always leaves it.
 */
class SwarmIT extends RegistratorTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String WEB = "swarmweb-" + RUN;
    private static final String INNER = "swarminner-" + RUN;
    private static final String NETWORK = "swarmnet-" + RUN;
    private static final Duration SWARM = Duration.ofSeconds(60);

    @BeforeAll
    static void enterSwarmMode() {
        Swarm.enter();
    }

    @AfterAll
    static void leaveSwarmMode() {
        Swarm.leave(List.of(WEB, INNER), List.of(NETWORK));
    }

    @Override
    protected String[] overrides() {
        // only this run's tasks; no full pass within the hour, so what follows is by events
        return new String[] {"registrator.layouts", "registrator,registrator-json", "registrator.names",
            "^" + WEB + "\\.", "registrator.resync", "3600"};
    }

    /** What the registrator layout should hold: one key per running task, by its slot. */
    private static Map<String, String> expectedWeb() {
        Map<String, String> out = new TreeMap<>();
        Swarm.containers(WEB, true).forEach((slot, task) -> {
            var bindings = task.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(80));
            out.put("/services/" + WEB + "/" + HOST + ":" + WEB + "." + slot + ":80",
                    IP + ":" + bindings[0].getHostPortSpec());
        });
        return out;
    }

    /** Waits until the running tasks are this many and etcd holds exactly their keys; the ms that took. */
    private static long awaitTasks(int tasks) {
        long ms = Eventually.millisUntil(SWARM, () -> {
            Map<String, String> expected = expectedWeb();
            return expected.size() == tasks && expected.equals(Etcd.get("/services/"));
        });
        Map<String, String> expected = expectedWeb();
        assertEquals(tasks, expected.size(), "running tasks: " + expected);
        assertEquals(expected, Etcd.get("/services/"));
        return ms;
    }

    @Test
    void hostModeTasksAreKeyedBySlotAndFollowScalingAndReplacement() throws Exception {
        Swarm.docker("service", "create", "--detach", "--no-resolve-image", "--name", WEB, "--replicas", "2",
                "--restart-delay", "0s", "--stop-grace-period", "1s", "--publish", "mode=host,target=80", "--container-label", "SERVICE_TAGS=swarm",
                Workloads.IMAGE, "httpd", "-f", "-p", "80");
        System.out.println("SwarmIT: 2 tasks registered " + awaitTasks(2) + " ms after service create returned");
        // the attributes carry the swarm service, task and slot
        Map<String, InspectContainerResponse> tasks = Swarm.containers(WEB, true);
        String first = tasks.keySet().iterator().next();
        String jsonKey = "/services-json/" + WEB + "/" + HOST + ":" + WEB + "." + first + ":80";
        JsonNode value = JSON.readTree(Etcd.get(jsonKey).get(jsonKey));
        assertEquals(WEB, value.path("Attrs").path("swarm_service").asText(), value.toString());
        assertEquals(first, value.path("Attrs").path("swarm_slot").asText(), value.toString());
        assertEquals(tasks.get(first).getConfig().getLabels().get("com.docker.swarm.task.id"),
                value.path("Attrs").path("swarm_task").asText(), value.toString());
        assertEquals("[\"swarm\"]", value.path("Tags").toString());
        JsonNode explained = JSON.readTree(httpGet("/observe/registrations/" + tasks.get(first).getName().substring(1)).body());
        assertEquals(WEB, explained.path("swarm").path("service").asText(), explained.toPrettyString());
        assertEquals(first, explained.path("swarm").path("slot").asText(), explained.toPrettyString());
        System.out.println("SwarmIT: keys of 2 tasks: " + Etcd.get("/services/") + "\n" + Etcd.get("/services-json/"));

        Swarm.docker("service", "scale", "--detach", WEB + "=3");
        System.out.println("SwarmIT: scaled to 3 in etcd " + awaitTasks(3) + " ms after service scale returned");
        // a scaled-down task stops within its 1 s grace period (httpd as PID 1 ignores SIGTERM)
        Swarm.docker("service", "scale", "--detach", WEB + "=1");
        System.out.println("SwarmIT: scaled to 1 in etcd " + awaitTasks(1) + " ms after service scale returned");

        // a task killed by hand: swarm replaces it in its slot, and the slot's key moves to the new task
        Map.Entry<String, InspectContainerResponse> left = Swarm.containers(WEB, true).entrySet().iterator().next();
        String slotKey = "/services-json/" + WEB + "/" + HOST + ":" + WEB + "." + left.getKey() + ":80";
        Swarm.docker("kill", left.getValue().getId());
        long ms = Eventually.millisUntil(SWARM, () -> {
            var now = Swarm.containers(WEB, true).get(left.getKey());
            return now != null && !now.getId().equals(left.getValue().getId()) && expectedWeb().equals(Etcd.get("/services/"));
        });
        System.out.println("SwarmIT: the killed task's key moved to its replacement " + ms + " ms after docker kill");
        awaitTasks(1);
        InspectContainerResponse replacement = Swarm.containers(WEB, true).get(left.getKey());
        JsonNode moved = JSON.readTree(Etcd.get(slotKey).get(slotKey));
        assertEquals(replacement.getConfig().getLabels().get("com.docker.swarm.task.id"),
                moved.path("Attrs").path("swarm_task").asText(), moved.toString());
        assertNotEquals(left.getValue().getConfig().getLabels().get("com.docker.swarm.task.id"),
                moved.path("Attrs").path("swarm_task").asText());
        assertEquals(1, Etcd.get("/services-json/").size(), Etcd.get("/services-json/").toString());
    }

    @Test
    void internalModeRegistersTheOverlayAddressNeverIngress() throws Exception {
        Swarm.docker("network", "create", "-d", "overlay", "--attachable", NETWORK);
        // a host-mode port exposes 80 on the task; an ingress-mode one puts the task on ingress too
        Swarm.docker("service", "create", "--detach", "--no-resolve-image", "--name", INNER, "--replicas", "2",
                "--stop-grace-period", "1s", "--network", NETWORK, "--publish", "mode=host,target=80", "--publish", "target=81",
                Workloads.IMAGE, "httpd", "-f", "-p", "80");
        int http = Etcd.freePort();
        try (JarRegistrator internal = JarRegistrator.start(Files.createTempDirectory("registrator-swarm"),
                "--etcd-endpoints=" + Etcd.endpoint(), "--host-id=swarm-host", "--internal=true", "--layouts=registrator",
                "--prefix=/internal", "--names=^" + INNER + "\\.", "--resync=3600", "--http-port=" + http)) {
            Eventually.within(SWARM, () -> {
                Map<String, String> expected = new TreeMap<>();
                Swarm.containers(INNER, true).forEach((slot, task) -> {
                    var networks = task.getNetworkSettings().getNetworks();
                    assertTrue(networks.containsKey("ingress"), "task not on ingress: " + networks.keySet());
                    String overlay = networks.get(NETWORK).getIpAddress();
                    assertNotEquals(networks.get("ingress").getIpAddress(), overlay);
                    expected.put("/internal/" + INNER + "/swarm-host:" + INNER + "." + slot + ":80", overlay + ":80");
                });
                assertEquals(2, expected.size());
                assertEquals(expected, Etcd.get("/internal/"));
            });
            System.out.println("SwarmIT: internal mode: " + Etcd.get("/internal/"));
            String task = Swarm.containers(INNER, true).values().iterator().next().getName().substring(1);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http + "/observe/registrations/" + task)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode explained = JSON.readTree(r.body());
            assertEquals(INNER, explained.path("swarm").path("service").asText(), r.body());
            assertEquals(NETWORK + " (the first of its networks by name, ingress left out)",
                    explained.path("services").get(0).path("network").asText(), r.body());
            String text = JarRegistrator.run("explain", task, "--http-port=" + http, "--etcd-endpoints=" + Etcd.endpoint(),
                    "--host-id=swarm-host", "--internal=true", "--layouts=registrator", "--prefix=/internal");
            System.out.println("SwarmIT: explain " + task + ":\n" + text);
            assertTrue(text.contains("swarm:      service " + INNER + ", task "), text);
            assertTrue(text.contains("network=" + NETWORK + " (the first of its networks by name, ingress left out)"), text);
        }
    }
}
