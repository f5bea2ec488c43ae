package io.github.camelregistrator.it;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.HealthCheck;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.auth.Permission;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Why isn't my container registered?": GET /observe/registrations and {@code explain
 * <container>}, against a real Docker and a real etcd, with one container in each state. The
 * registrator runs as etcd user {@code reg}, whose role may read all of /services/ but write
 * none of /services/refused/, so a container named "refused" stays pending.
 */
class ExplainIT extends RegistratorTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    // unique, so that their absence from every answer means something
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String SECRET_ENV = "env-secret-" + UUID.randomUUID();
    private static final String SECRET_LABEL = "label-secret-" + UUID.randomUUID();
    private static final Duration STATES = Duration.ofSeconds(30);
    // no initializers: overrides() sets them from the superclass constructor
    private int port;
    private int peer;
    private DedicatedEtcd etcd;
    private Client root;

    @Override
    protected String[] overrides() {
        port = Etcd.freePort();
        peer = Etcd.freePort();
        return flags(true);
    }

    /** The registrator's options; explain's read-only path takes the same. */
    private String[] flags(boolean prefixed) {
        String[] f = {"layouts", "registrator", "resync", "300", "require-healthy", "true", "deregister", "on-success",
                "names", "^(?!filtered-)", "etcd-endpoints", "http://127.0.0.1:" + port, "etcd-user", "reg",
                "etcd-password", PASSWORD, "host-id", HOST, "advertise-ip", IP};
        String[] out = new String[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = i % 2 == 0 && prefixed ? "registrator." + f[i] : f[i];
        }
        return out;
    }

    @Override
    protected void beforeRegistratorStarts() throws Exception {
        etcd = new DedicatedEtcd(port, peer);
        root = etcd.enableAuth("root-pw", "reg", PASSWORD, auth -> {
            grant(auth, "/registrator/", "/registrator0", Permission.Type.READWRITE);
            // all of /services/ but /services/refused/, which it may only read
            grant(auth, "/services/", "/services/refused/", Permission.Type.READWRITE);
            grant(auth, "/services/refused/", "/services/refused0", Permission.Type.READ);
            grant(auth, "/services/refused0", "/services0", Permission.Type.READWRITE);
        });
    }

    @Override
    protected void doPostTearDown() throws Exception {
        if (context != null) {
            context.stop();
        }
        if (root != null) {
            root.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    private static void grant(io.etcd.jetcd.Auth auth, String from, String to, Permission.Type type) throws Exception {
        auth.roleGrantPermission(b("reg"), b(from), b(to), type).get(10, TimeUnit.SECONDS);
    }

    /** A container's expected state and a fragment of its reason (or of its error, when pending). */
    private record Expect(String state, String why) {
    }

    @Test
    void explainsEveryState() throws Exception {
        Map<String, Expect> expected = new LinkedHashMap<>();
        Workload registered = workloads.start(Workloads.uniqueName("registered"),
                Map.of("SERVICE_NAME", "web", "SERVICE_TAGS", "blue", "secret.label", SECRET_LABEL),
                Map.of("SECRET_TOKEN", SECRET_ENV), new int[] {80});
        expected.put(registered.name(), new Expect("registered", null));
        expected.put(workloads.start(Workloads.busybox(Workloads.uniqueName("noports"))).name(),
                new Expect("skipped", "no published ports"));
        expected.put(workloads.start(Workloads.uniqueName("ignored"), Map.of("SERVICE_IGNORE", "true"), 80).name(),
                new Expect("skipped", "SERVICE_IGNORE is set"));
        expected.put(workloads.start(Workloads.uniqueName("filtered"), Map.of(), 80).name(),
                new Expect("skipped", "does not match registrator.names"));
        expected.put(workloads.start(Workloads.uniqueName("bad"), Map.of("SERVICE_NAME", "n".repeat(2000)), 80).name(),
                new Expect("skipped", "bad metadata: SERVICE_NAME is 2000 characters long"));
        long interval = Duration.ofMillis(300).toNanos();
        expected.put(workloads.start(Workloads.busybox(Workloads.uniqueName("unhealthy")).withExposedPorts(80)
                .withCreateContainerCmdModifier(cmd -> cmd.withHealthcheck(new HealthCheck()
                        .withTest(List.of("CMD-SHELL", "test -f /ok")).withInterval(interval)
                        .withTimeout(interval * 3).withRetries(1).withStartPeriod(0L)))).name(),
                new Expect("unhealthy", "its health check says unhealthy"));
        Workload pending = workloads.start(Workloads.uniqueName("pending"), Map.of("SERVICE_NAME", "refused"), 80);
        expected.put(pending.name(), new Expect("pending", "permission denied"));
        Workload stopped = workloads.start(Workloads.uniqueName("stopped"), Map.of("SERVICE_NAME", "gone"), 80);
        eventually(() -> assertEquals("registered", state(stopped.name())));
        workloads.kill(stopped);
        expected.put(stopped.name(), new Expect("stopped", "exited with code 137"));

        // the endpoint: each container, alone and in the list
        Eventually.within(STATES, () -> expected.forEach((name, e) -> {
            JsonNode one = one(name);
            assertEquals(e.state(), one.path("state").asText(), one.toPrettyString());
            if (e.why() != null) {
                String why = e.state().equals("pending") ? one.path("error").asText() : one.path("reason").asText();
                assertTrue(why.contains(e.why()), one.toPrettyString());
            }
        }));
        String key = "/services/web/" + HOST + ":" + registered.name() + ":80";
        JsonNode reg = one(registered.name());
        JsonNode service = reg.path("services").get(0);
        JsonNode held = reg.path("layouts").path("registrator").get(0);
        assertAll(
                () -> assertEquals(registered.id(), reg.path("id").asText()),
                () -> assertEquals(Workloads.IMAGE, reg.path("image").asText()),
                () -> assertEquals("web", service.path("name").asText()),
                () -> assertEquals(HOST + ":" + registered.name() + ":80", service.path("id").asText()),
                () -> assertEquals(IP, service.path("ip").asText()),
                () -> assertEquals(registered.hostPort(80), service.path("port").asInt()),
                () -> assertEquals("[\"blue\"]", service.path("tags").toString()),
                () -> assertEquals(key, held.path("key").asText()),
                () -> assertEquals(IP + ":" + registered.hostPort(80), held.path("value").asText()),
                () -> assertTrue(held.path("held").asBoolean(), reg.toPrettyString()),
                () -> assertTrue(List.of("event", "resync", "watch").contains(reg.path("trigger").asText()), reg.toPrettyString()),
                () -> assertFalse(reg.path("lastSync").asText().isEmpty(), reg.toPrettyString()));
        JsonNode refused = one(pending.name()).path("layouts").path("registrator").get(0);
        JsonNode pend = one(pending.name());
        assertAll(
                () -> assertEquals("/services/refused/" + HOST + ":" + pending.name() + ":80", refused.path("key").asText()),
                () -> assertFalse(refused.path("held").asBoolean(), pend.toPrettyString()),
                () -> assertEquals("missing", refused.path("etcd").asText(), pend.toPrettyString()),
                () -> assertTrue(refused.path("pending").asBoolean(), pend.toPrettyString()),
                () -> assertFalse(pend.path("nextRetry").asText().isEmpty(), pend.toPrettyString()));

        // a key deleted by hand: the watch restores it, and says so
        root.getKVClient().delete(b(key)).get(10, TimeUnit.SECONDS);
        eventually(() -> {
            JsonNode again = one(registered.name());
            assertEquals("watch", again.path("trigger").asText(), again.toPrettyString());
            assertTrue(again.path("layouts").path("registrator").get(0).path("held").asBoolean(), again.toPrettyString());
        });

        HttpResponse<String> list = httpGet("/observe/registrations");
        assertEquals(200, list.statusCode(), list.body());
        System.out.println("GET /observe/registrations:\n" + list.body());
        Map<String, String> listed = new LinkedHashMap<>();
        JSON.readTree(list.body()).forEach(n -> listed.put(n.path("name").asText(), n.path("state").asText()));
        expected.forEach((name, e) -> assertEquals(e.state(), listed.get(name), list.body()));
        HttpResponse<String> unknown = httpGet("/observe/registrations/no-such-container");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(JSON.readTree(unknown.body()).path("error").asText().contains("no-such-container"), unknown.body());
        assertNoSecret("GET /observe/registrations", list.body());

        // explain, answered by this registrator over HTTP, then computed read-only with nothing on the port
        List<String> readOnly = new ArrayList<>(List.of("explain", "", "--http-port=" + Etcd.freePort()));
        String[] f = flags(false);
        for (int i = 0; i + 1 < f.length; i += 2) {
            readOnly.add("--" + f[i] + "=" + f[i + 1]);
        }
        long revision = etcdRevision();
        for (Map.Entry<String, Expect> e : expected.entrySet()) {
            String viaHttp = JarRegistrator.run("explain", e.getKey(), "--http-port=" + httpPort());
            assertExplained(viaHttp, e.getKey(), e.getValue(), "the registrator of this host, at http://127.0.0.1:" + httpPort());
            readOnly.set(1, e.getKey());
            String computed = JarRegistrator.run(readOnly.toArray(String[]::new));
            Expect readOnlyExpect = e.getValue().state().equals("pending") ? new Expect("pending", "etcd: missing at")
                    : e.getValue();
            assertExplained(computed, e.getKey(), readOnlyExpect, "computed read-only from Docker and etcd");
            System.out.printf("explain %s, over HTTP:%n%s%nexplain %s, read-only:%n%s%n", e.getKey(), viaHttp, e.getKey(), computed);
            if (e.getKey().equals(registered.name())) {
                assertTrue(viaHttp.contains(key + " = " + IP + ":" + registered.hostPort(80)), viaHttp);
                assertTrue(computed.contains("etcd: holds exactly this value under this host's lease"), computed);
            }
        }
        // read-only: nothing written (the registrator's own lease keep-alives do not change revisions)
        assertEquals(revision, etcdRevision(), "explain wrote to etcd");
        String none = JarRegistrator.run("explain", "no-such-container", "--http-port=" + httpPort());
        assertTrue(none.startsWith("1\n") && none.contains("no container named or with id no-such-container"), none);
    }

    private void assertExplained(String output, String name, Expect e, String source) {
        assertAll(name,
                () -> assertTrue(output.startsWith("0\ncontainer " + name + "\n"), output),
                () -> assertTrue(output.matches("(?s).*\\nstate: +" + e.state() + "\\b.*"), output),
                () -> assertTrue(e.why() == null || output.contains(e.why()), output),
                () -> assertTrue(output.contains("source:     " + source), output));
        assertNoSecret("explain " + name, output);
    }

    private static void assertNoSecret(String what, String text) {
        assertAll(what,
                () -> assertFalse(text.contains(SECRET_ENV), "an environment value in " + text),
                () -> assertFalse(text.contains(SECRET_LABEL), "a label value in " + text),
                () -> assertFalse(text.contains("n".repeat(1025)), "the refused SERVICE_NAME in " + text),
                () -> assertFalse(text.contains(PASSWORD), "the etcd password in " + text));
    }

    private JsonNode one(String name) {
        HttpResponse<String> r = httpGet("/observe/registrations/" + name);
        assertEquals(200, r.statusCode(), r.body());
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(r.body(), e);
        }
    }

    private String state(String name) {
        return one(name).path("state").asText();
    }

    private long etcdRevision() throws Exception {
        return root.getKVClient().get(b("/")).get(10, TimeUnit.SECONDS).getHeader().getRevision();
    }

    private static ByteSequence b(String s) {
        return Etcd.bytes(s);
    }
}
