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
import io.etcd.jetcd.KeyValue;
import org.testcontainers.DockerClientFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * registrator.swarm-services with the built jar: refused on a plain engine (the non-manager this
 * machine can be: a worker needs a second node), then, on a real single-node swarm, two
 * registrators as two managers (host-ids mgr-a and mgr-b on the one manager) register a service's
 * VIP once, shared, and each its own ingress port; the keys follow create, a port update and
 * remove from service events alone (no full pass within the hour); a third manager started later
 * gets its keys from its first full pass; the VIP key outlives the kill -9 of the manager holding
 * it (another writes it again) and the clean stop of the next (handed over). The engine is in
 * swarm mode only inside the second test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmServicesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String SERVICE = "vipweb-" + RUN;
    private static final String NETWORK = "vipnet-" + RUN;
    private static final String PREFIX = "/swarmsvc-" + RUN;
    private static final String MEMBERS = "/registrator/swarm-services/";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static boolean entered;

    @AfterAll
    static void leaveSwarmMode() {
        if (entered) {
            Swarm.leave(List.of(SERVICE), List.of(NETWORK));
        }
    }

    @Test
    @Order(1)
    void refusedOnAnEngineThatIsNoSwarmManager() throws Exception {
        // other tests on this engine may be in swarm mode for a while
        Eventually.within(Duration.ofSeconds(180), () -> assertEquals("inactive",
                Swarm.docker("info", "--format", "{{.Swarm.LocalNodeState}}").trim()));
        JarRegistrator.Run run = JarRegistrator.run(Files.createTempDirectory("registrator-refused"), Map.of(),
                "--swarm-services=true", "--etcd-endpoints=http://127.0.0.1:1", "--http-enabled=false");
        System.out.println("SwarmServicesIT: refused with exit " + run.exit() + " after " + run.millis() + " ms: " + run.output());
        assertEquals(2, run.exit(), run.output());
        assertEquals(List.of("registrator.swarm-services: this Docker engine is not in swarm mode (swarm: inactive), and"
                + " only a swarm manager can list services; run it on a manager, or leave the option off"), run.lines());
    }

    /** The service's VIP on the overlay network, as Docker shows it (through the API: a CLI call costs a second here). */
    private static String vip() {
        var docker = DockerClientFactory.instance().client();
        String network = docker.inspectNetworkCmd().withNetworkId(NETWORK).exec().getId();
        var vips = docker.inspectServiceCmd(SERVICE).exec().getEndpoint().getVirtualIPs();
        for (var v : vips) {
            if (v.getNetworkID().equals(network)) {
                return v.getAddr().replaceAll("/.*", "");
            }
        }
        throw new AssertionError("no VIP on " + NETWORK + ": " + java.util.Arrays.toString(vips));
    }

    /** When Docker's last service event of this kind for the service happened (ms since the epoch), by its own clock. */
    private static long eventMillis(String action, long before) {
        String times = Swarm.docker("events", "--since", Long.toString(before / 1000 - 120), "--until",
                Long.toString(before / 1000 + 1), "--filter", "type=service", "--filter", "service=" + SERVICE,
                "--filter", "event=" + action, "--format", "{{.TimeNano}}").trim();
        String[] lines = times.split("\n");
        return Long.parseLong(lines[lines.length - 1].trim()) / 1_000_000;
    }

    private static int published() {
        return DockerClientFactory.instance().client().inspectServiceCmd(SERVICE).exec().getEndpoint().getPorts()[0]
                .getPublishedPort();
    }

    /** What the layout should hold for the service publishing {@code target} in ingress mode. */
    private static Map<String, String> expected(String vip, int target, int published, String... managers) {
        Map<String, String> out = new TreeMap<>();
        out.put(PREFIX + "/" + SERVICE + "/swarm:" + SERVICE + ":" + target, vip + ":" + target);
        for (String m : managers) {
            out.put(PREFIX + "/" + SERVICE + "/" + m + ":swarm:" + SERVICE + ":" + published, "10.0.0.5:" + published);
        }
        return out;
    }

    private static JarRegistrator manager(String hostId, int http) throws Exception {
        // no container is registered (the name filter matches none), only the swarm service
        return JarRegistrator.start(Files.createTempDirectory("registrator-" + hostId), "--swarm-services=true",
                "--etcd-endpoints=" + Etcd.endpoint(), "--host-id=" + hostId + "-" + RUN, "--advertise-ip=10.0.0.5",
                "--layouts=registrator", "--prefix=" + PREFIX, "--names=^nothing-" + RUN + "$", "--resync=3600", "--ttl=5",
                "--network=" + NETWORK, "--http-port=" + http);
    }

    @Test
    @Order(2)
    void theVipKeyFollowsCreatePortUpdateAndRemoveAndOutlivesTheManagerThatWroteIt() throws Exception {
        entered = true;
        Swarm.enter();
        Swarm.docker("network", "create", "-d", "overlay", "--attachable", NETWORK);
        String a = "mgr-a-" + RUN;
        String b = "mgr-b-" + RUN;
        int httpB = Etcd.freePort();
        try (JarRegistrator first = manager("mgr-a", Etcd.freePort()); JarRegistrator second = manager("mgr-b", httpB)) {
            // after their start-up passes (this engine may run hundreds of other tests' containers)
            first.awaitLog(WAIT, "start-up pass");
            second.awaitLog(WAIT, "start-up pass");
            // the test's own etcd client and Docker client warm, so the figures are the registrators'
            assertEquals(Map.of(), Etcd.get(PREFIX + "/"));
            DockerClientFactory.instance().client().pingCmd().exec();
            long created = System.nanoTime();
            String id = Swarm.docker("service", "create", "--detach", "--no-resolve-image", "--name", SERVICE,
                    "--replicas", "1", "--stop-grace-period", "1s", "--network", NETWORK, "--publish", "target=80",
                    Workloads.IMAGE, "httpd", "-f", "-p", "80").trim();
            long returned = System.nanoTime();
            String vip = vip();
            int published = published();
            Eventually.millisUntil(WAIT, () -> expected(vip, 80, published, a, b).equals(Etcd.get(PREFIX + "/")));
            long ms = (System.nanoTime() - returned) / 1_000_000;
            long seen = System.currentTimeMillis();
            System.out.println("SwarmServicesIT: VIP and ingress keys of both managers " + ms + " ms after service create"
                    + " returned (" + (System.nanoTime() - created) / 1_000_000 + " ms after it was called; "
                    + (seen - eventMillis("create", seen)) + " ms after Docker's create event): " + Etcd.get(PREFIX + "/"));
            assertEquals(expected(vip, 80, published, a, b), Etcd.get(PREFIX + "/"), first.log() + second.log());
            // one member key per manager, each under its own lease: the VIP key is shared by them
            String vipKey = PREFIX + "/" + SERVICE + "/swarm:" + SERVICE + ":80";
            String members = MEMBERS + id + "/" + vipKey.replace("/", "%2F") + "/";
            assertEquals(Map.of(members + a, "10.0.0.5", members + b, "10.0.0.5"), Etcd.get(MEMBERS + id + "/"));
            assertNotEquals(Etcd.kv(members + a).getLease(), Etcd.kv(members + b).getLease());

            // explain lists the service beside the containers, with its VIP's network
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpB + "/observe/registrations/" + SERVICE)).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println("SwarmServicesIT: explain " + SERVICE + " on mgr-b: " + r.body());
            JsonNode explained = JSON.readTree(r.body());
            assertEquals("registered", explained.path("state").asText(), r.body());
            assertEquals(SERVICE, explained.path("swarm").path("service").asText(), r.body());
            assertEquals(NETWORK + " (registrator.network)", explained.path("services").get(0).path("network").asText(), r.body());
            String text = JarRegistrator.run("explain", SERVICE, "--http-port=" + httpB, "--etcd-endpoints=" + Etcd.endpoint(),
                    "--host-id=" + b, "--layouts=registrator", "--prefix=" + PREFIX);
            System.out.println("SwarmServicesIT: explain " + SERVICE + " on mgr-b:\n" + text);
            assertTrue(text.startsWith("0\n"), text);
            assertTrue(text.contains("swarm:      service " + SERVICE + " (id " + id + "), registered by the managers"), text);
            assertTrue(text.contains("etcd: held by another host (shared key)") || text.contains("etcd: holds exactly this value"), text);
            // the service is counted as a service, not as a container (the name filter registers no container)
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpB + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("\nregistrator_swarm_services_registered 1.0\n"), metrics);
            assertTrue(metrics.contains("\nregistrator_containers_registered 0.0\n"), metrics);

            // a port update: the VIP's key follows the new target port, the ingress keys the new published port
            Swarm.docker("service", "update", "--detach", "--publish-rm", "80", "--publish-add", "target=81", SERVICE);
            returned = System.nanoTime();
            int republished = published();
            Eventually.millisUntil(WAIT, () -> expected(vip, 81, republished, a, b).equals(Etcd.get(PREFIX + "/")));
            ms = (System.nanoTime() - returned) / 1_000_000;
            seen = System.currentTimeMillis();
            System.out.println("SwarmServicesIT: keys followed the port update " + ms + " ms after service update returned ("
                    + (seen - eventMillis("update", seen)) + " ms after Docker's last update event): " + Etcd.get(PREFIX + "/"));
            assertEquals(expected(vip, 81, republished, a, b), Etcd.get(PREFIX + "/"));

            // a manager that starts now finds the service in its first full pass, not by an event
            String c = "mgr-c-" + RUN;
            String key = PREFIX + "/" + SERVICE + "/swarm:" + SERVICE + ":81";
            String keyMembers = MEMBERS + id + "/" + key.replace("/", "%2F") + "/";
            try (JarRegistrator late = manager("mgr-c", Etcd.freePort())) {
                late.awaitLog(WAIT, "start-up pass");
                Eventually.within(WAIT, () -> assertEquals(expected(vip, 81, republished, a, b, c), Etcd.get(PREFIX + "/")));
                assertEquals(Map.of(keyMembers + a, "10.0.0.5", keyMembers + b, "10.0.0.5", keyMembers + c, "10.0.0.5"),
                        Etcd.get(MEMBERS + id + "/"));
                assertTrue(late.log().contains("start-up pass containers="), late.log());
                Map<String, JarRegistrator> alive = new TreeMap<>(Map.of(a, first, b, second, c, late));

                // kill -9 of the manager that holds the VIP key: the key goes with its lease (ttl 5 s),
                // and a remaining manager's watch writes it again under its own
                String killed = holderOf(key, keyMembers, alive.keySet());
                long lease = Etcd.kv(key).getLease();
                alive.remove(killed).kill();
                long killedAt = System.nanoTime();
                Eventually.within(WAIT, () -> {
                    KeyValue now = Etcd.read(key);
                    assertNotNull(now, "the VIP key is missing");
                    assertNotEquals(lease, now.getLease());
                    assertEquals(vip + ":81", now.getValue().toString(java.nio.charset.StandardCharsets.UTF_8));
                    assertEquals(alive.keySet().stream().map(m -> keyMembers + m).collect(java.util.stream.Collectors.toSet()),
                            Etcd.get(MEMBERS + id + "/").keySet());
                });
                System.out.println("SwarmServicesIT: the VIP key was back on a remaining manager's lease "
                        + (System.nanoTime() - killedAt) / 1_000_000 + " ms after the kill -9 of its holder (ttl 5 s)");
                assertNotNull(holderOf(key, keyMembers, alive.keySet()));
                assertEquals(expected(vip, 81, republished, alive.keySet().toArray(String[]::new)), Etcd.get(PREFIX + "/"));

                // the manager that holds it now stops cleanly: the key stays, handed to the other's lease
                String stopped = holderOf(key, keyMembers, alive.keySet());
                long before = Etcd.kv(key).getLease();
                JarRegistrator stopping = alive.remove(stopped);
                stopping.terminate();
                assertTrue(stopping.waitFor(30), "no exit within 30 s");
                String staying = alive.keySet().iterator().next();
                KeyValue after = Etcd.kv(key);
                assertNotNull(after, "the VIP key went with the manager that held it");
                assertEquals(Etcd.kv(keyMembers + staying).getLease(), after.getLease());
                assertEquals(expected(vip, 81, republished, staying), Etcd.get(PREFIX + "/"));
                System.out.println("SwarmServicesIT: the VIP key moved from lease " + before + " to " + after.getLease()
                        + " when its holder stopped");

                // remove: every key of the service goes
                Swarm.docker("service", "rm", SERVICE);
                ms = Eventually.millisUntil(WAIT, () -> Etcd.get(PREFIX + "/").isEmpty() && Etcd.get(MEMBERS + id + "/").isEmpty());
                System.out.println("SwarmServicesIT: keys gone " + ms + " ms after service rm returned");
                assertEquals(Map.of(), Etcd.get(PREFIX + "/"));
                assertNull(Etcd.kv(keyMembers + staying));
                assertTrue(alive.get(staying).isAlive(), alive.get(staying).log());
            }
        }
    }

    /** The manager whose lease holds the key (its member key is on the same lease). */
    private static String holderOf(String key, String keyMembers, java.util.Set<String> managers) throws Exception {
        long lease = Etcd.kv(key).getLease();
        for (String m : managers) {
            KeyValue member = Etcd.kv(keyMembers + m);
            if (member != null && member.getLease() == lease) {
                return m;
            }
        }
        throw new AssertionError("no manager of " + managers + " holds " + key + " (lease " + lease + ")");
    }
}