package io.github.camelregistrator.it;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.HealthCheck;
import io.github.camelregistrator.check.HealthChecks;
import io.github.camelregistrator.it.Workloads.Workload;
import io.github.camelregistrator.observe.ExplainText;
import io.github.camelregistrator.observe.Explanation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Active health checks (SERVICE_CHECK_*) against real busybox services and a real etcd: a
 * service is registered only while its check passes, port by port, and together with Docker's
 * own HEALTHCHECK gating. Times from a service's failure to its key's deletion, and from its
 * recovery to its key's return, are printed as figures.
 */
class HealthChecksIT extends RegistratorTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long INTERVAL_MS = 500;
    private static final long TIMEOUT_MS = 300;
    /** interval × count + timeout + 1 s, the bound, for fall 2 and rise 1. */
    private static final long FALL_BOUND_MS = INTERVAL_MS * 2 + TIMEOUT_MS + 1000;
    private static final long RISE_BOUND_MS = INTERVAL_MS + TIMEOUT_MS + 1000;

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator", "registrator.resync", "300"};
    }

    private static Map<String, String> check(String... more) {
        Map<String, String> labels = new HashMap<>(Map.of("SERVICE_CHECK_INTERVAL", INTERVAL_MS + "ms",
                "SERVICE_CHECK_TIMEOUT", TIMEOUT_MS + "ms"));
        for (int i = 0; i + 1 < more.length; i += 2) {
            labels.put(more[i], more[i + 1]);
        }
        return labels;
    }

    /** httpd on port 80 serving /health (an empty file) from the start. */
    private Workload httpd(String name, Map<String, String> labels, int... ports) {
        return workloads.start(Workloads.busybox(name).withLabels(labels)
                .withExposedPorts(java.util.Arrays.stream(ports).boxed().toArray(Integer[]::new))
                .withCommand("sh", "-c", "touch /health && exec httpd -f -p 80"));
    }

    private static String key(String service, String container, int port) {
        return "/services/" + service + "/" + HOST + ":" + container + ":" + port;
    }

    private JsonNode explain(String container) throws Exception {
        HttpResponse<String> r = httpGet("/observe/registrations/" + container);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private JsonNode checkOf(String container, int port) throws Exception {
        for (JsonNode c : explain(container).path("checks")) {
            if (c.path("port").asInt() == port) {
                return c;
            }
        }
        throw new AssertionError("no check on port " + port + " in " + explain(container));
    }

    /** Milliseconds until the condition holds, polled every 5 ms, at most 15 s. */
    private static long millisUntil(BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > 15_000_000_000L) {
                throw new AssertionError("not within 15 s");
            }
            Thread.sleep(5);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static boolean present(String key) {
        return Etcd.get(key).containsKey(key);
    }

    @Test
    void httpRegisteredAfterFirstPassRemovedAfterFallBackAfterRise() throws Exception {
        String name = Workloads.uniqueName("web");
        String key = key("web", name, 80);
        long started = System.nanoTime();
        Workload w = httpd(name, check("SERVICE_NAME", "web", "SERVICE_CHECK_HTTP", "/health"), 80);
        try {
            millisUntil(() -> present(key));
        } catch (AssertionError e) {
            throw new AssertionError("not registered within 15 s: " + explain(name), e);
        }
        System.out.printf("FIGURE health-check http: registered %d ms after the container started (first probe after at most 500 ms of jitter)%n",
                (System.nanoTime() - started) / 1_000_000);
        assertEquals(IP + ":" + w.hostPort(80), Etcd.get(key).get(key));
        JsonNode c = checkOf(name, 80);
        assertEquals("http", c.path("kind").asText());
        assertTrue(c.path("target").asText().matches("http://\\d+\\.\\d+\\.\\d+\\.\\d+:80/health"), c.toString());
        assertEquals("passing", c.path("state").asText());
        assertEquals("passed", c.path("lastResult").asText());
        assertEquals("HTTP 200", c.path("lastDetail").asText());
        assertTrue(c.path("passes").asInt() >= 1, c.toString());
        assertEquals(0, c.path("failures").asInt());
        assertTrue(c.has("lastRun"), c.toString());

        // the service fails (404): out after fall (2) failures in a row
        w.container().execInContainer("rm", "/health");
        long gone = millisUntil(() -> !present(key));
        System.out.printf("FIGURE health-check http: failure -> key deleted in %d ms (bound: 2 x %d + %d + 1000 = %d ms)%n",
                gone, INTERVAL_MS, TIMEOUT_MS, FALL_BOUND_MS);
        JsonNode down = explain(name);
        assertEquals("unhealthy", down.path("state").asText(), down.toString());
        assertTrue(down.path("reason").asText().contains("health check fails"), down.toString());
        JsonNode failing = checkOf(name, 80);
        assertEquals("critical", failing.path("state").asText());
        assertEquals("failed", failing.path("lastResult").asText());
        assertEquals("HTTP 404", failing.path("lastDetail").asText());
        assertTrue(failing.path("failures").asInt() >= 2, failing.toString());
        // explain reads the same answer back and prints it as text
        Explanation read = JSON.readValue(httpGet("/observe/registrations/" + name).body(), Explanation.class);
        assertEquals("critical", read.checks().get(0).state());
        String text = ExplainText.render(read, "the registrator of this host");
        System.out.println(text);
        assertTrue(text.contains("check 80/tcp: http http://"), text);
        assertTrue(text.contains("last: failed, HTTP 404 at "), text);

        // it recovers: back after rise (1) pass
        w.container().execInContainer("touch", "/health");
        long back = millisUntil(() -> present(key));
        System.out.printf("FIGURE health-check http: recovery -> key back in %d ms (bound: 1 x %d + %d + 1000 = %d ms)%n",
                back, INTERVAL_MS, TIMEOUT_MS, RISE_BOUND_MS);
        assertTrue(httpGet("/observe/metrics").body().matches("(?s).*registrator_check_probes_total\\{result=\"failed\"} [1-9].*"));

        // its checks go with it
        HealthChecks checks = context.getRegistry().lookupByNameAndType("healthChecks", HealthChecks.class);
        assertFalse(checks.views(w.id()).isEmpty());
        workloads.remove(w);
        eventually(() -> assertTrue(checks.views(w.id()).isEmpty()));
        assertFalse(present(key));
    }

    @Test
    void tcpWhereNothingListensIsNeverRegistered() throws Exception {
        String name = Workloads.uniqueName("deaf");
        workloads.start(Workloads.busybox(name).withLabels(check("SERVICE_NAME", "deaf", "SERVICE_CHECK_TCP", "true"))
                .withExposedPorts(80).withCommand("sleep", "3600"));
        eventually(() -> {
            try {
                JsonNode c = checkOf(name, 80);
                assertTrue(c.path("failures").asInt() >= 4, c.toString());
                assertEquals("tcp", c.path("kind").asText());
                assertEquals("critical", c.path("state").asText());
                assertEquals("connection refused", c.path("lastDetail").asText());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(Map.of(), Etcd.get("/services/deaf/"));
        assertTrue(httpGet("/observe/metrics").body().matches("(?s).*registrator_services_held [1-9].*"));
    }

    @Test
    void aServerThatAcceptsAndNeverAnswersFailsAtTheTimeout() throws Exception {
        String name = Workloads.uniqueName("mute");
        // nc accepts every connection and runs sleep on it: nothing is ever answered
        workloads.start(Workloads.busybox(name).withLabels(check("SERVICE_NAME", "mute", "SERVICE_CHECK_HTTP", "/health"))
                .withExposedPorts(80).withCommand("nc", "-ll", "-p", "80", "-e", "sleep", "3600"));
        eventually(() -> {
            try {
                JsonNode c = checkOf(name, 80);
                assertTrue(c.path("failures").asInt() >= 3, c.toString());
                assertEquals("timed out after " + TIMEOUT_MS + " ms", c.path("lastDetail").asText());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(Map.of(), Etcd.get("/services/mute/"));
    }

    @Test
    void eachPortKeepsItsOwnState() throws Exception {
        String name = Workloads.uniqueName("two");
        // port 80 answers; nothing listens on 81
        httpd(name, check("SERVICE_NAME", "two", "SERVICE_80_CHECK_HTTP", "/health", "SERVICE_81_CHECK_TCP", "true"), 80, 81);
        String healthy = key("two-80", name, 80);
        eventually(() -> assertTrue(present(healthy)));
        eventually(() -> {
            try {
                assertTrue(checkOf(name, 81).path("failures").asInt() >= 3);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(List.of(healthy), List.copyOf(Etcd.get("/services/").keySet().stream()
                .filter(k -> k.contains(name)).toList()));
        JsonNode e = explain(name);
        assertEquals("registered", e.path("state").asText(), e.toString());
        assertEquals("passing", checkOf(name, 80).path("state").asText());
        assertEquals("critical", checkOf(name, 81).path("state").asText());
    }

    @Test
    void redirectsAreNotFollowedAndTheMethodIsTheLabels() throws Exception {
        String name = Workloads.uniqueName("http3");
        // busybox httpd answers /dir with 302 to /dir/ (which would answer 200), HEAD with 200, DELETE with 501
        workloads.start(Workloads.busybox(name).withExposedPorts(80, 81, 82)
                .withLabels(check("SERVICE_NAME", "http3", "SERVICE_80_CHECK_HTTP", "/dir",
                        "SERVICE_81_CHECK_HTTP", "/health", "SERVICE_81_CHECK_HTTP_METHOD", "HEAD",
                        "SERVICE_82_CHECK_HTTP", "/health", "SERVICE_82_CHECK_HTTP_METHOD", "DELETE"))
                .withCommand("sh", "-c", "mkdir /dir && touch /dir/index.html /health && httpd -p 80 && httpd -p 81 "
                        + "&& exec httpd -f -p 82"));
        String head = key("http3-81", name, 81);
        eventually(() -> assertTrue(present(head)));
        eventually(() -> {
            try {
                JsonNode redirect = checkOf(name, 80);
                assertTrue(redirect.path("failures").asInt() >= 2, redirect.toString());
                assertEquals("HTTP 302", redirect.path("lastDetail").asText());
                JsonNode delete = checkOf(name, 82);
                assertTrue(delete.path("failures").asInt() >= 2, delete.toString());
                assertEquals("HTTP 501", delete.path("lastDetail").asText());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals("HTTP 200", checkOf(name, 81).path("lastDetail").asText());
        assertEquals(List.of(head), List.copyOf(Etcd.get("/services/").keySet().stream()
                .filter(k -> k.contains(name)).toList()));
    }

    @Test
    void bothDockersHealthCheckAndTheActiveCheckMustPass() throws Exception {
        String name = Workloads.uniqueName("both");
        String key = key("both", name, 80);
        long interval = Duration.ofMillis(300).toNanos();
        // Docker's health check passes while /ok exists, the active check while /health does
        Workload w = workloads.start(Workloads.busybox(name)
                .withLabels(check("SERVICE_NAME", "both", "SERVICE_CHECK_HTTP", "/health", "registrator.require-healthy", "true"))
                .withExposedPorts(80).withCommand("httpd", "-f", "-p", "80")
                .withCreateContainerCmdModifier(cmd -> cmd.withHealthcheck(new HealthCheck()
                        .withTest(List.of("CMD-SHELL", "test -f /ok")).withInterval(interval).withTimeout(interval * 3)
                        .withRetries(1).withStartPeriod(0L))));
        // Docker says healthy, the active check fails: not registered
        w.container().execInContainer("touch", "/ok");
        eventually(() -> {
            try {
                JsonNode c = checkOf(name, 80);
                assertTrue(c.path("failures").asInt() >= 2, c.toString());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertFalse(present(key));
        // both pass: registered
        w.container().execInContainer("touch", "/health");
        eventually(() -> assertTrue(present(key)));
        // Docker says unhealthy, the active check still passes: removed
        w.container().execInContainer("rm", "/ok");
        eventually(() -> assertFalse(present(key)));
        JsonNode e = explain(name);
        assertEquals("unhealthy", e.path("state").asText());
        assertTrue(e.path("reason").asText().contains("its health check says unhealthy"), e.toString());
        assertEquals("passing", checkOf(name, 80).path("state").asText());
        // both pass again: back
        w.container().execInContainer("touch", "/ok");
        eventually(() -> assertTrue(present(key)));
    }

    @Test
    void aScriptCheckIsRefusedAndTheServiceRegisteredAsWithout() throws Exception {
        String name = Workloads.uniqueName("script");
        String key = key("script", name, 80);
        httpd(name, check("SERVICE_NAME", "script", "SERVICE_CHECK_SCRIPT", "touch /tmp/pwned"), 80);
        eventually(() -> assertTrue(present(key)));
        JsonNode c = checkOf(name, 80);
        assertEquals("refused", c.path("kind").asText());
        assertEquals("refused", c.path("state").asText());
        assertTrue(c.path("lastDetail").asText().startsWith("SERVICE_CHECK_SCRIPT is refused: running a command"), c.toString());
        assertFalse(c.toString().contains("pwned"), "the label's value is not shown");
        assertEquals("registered", explain(name).path("state").asText());
    }

    @Test
    void aBadIntervalIsNamedInTheSkipReasonAndBlocksNoOther() throws Exception {
        String bad = Workloads.uniqueName("badinterval");
        String good = Workloads.uniqueName("good");
        httpd(bad, Map.of("SERVICE_NAME", "bad", "SERVICE_CHECK_HTTP", "/health", "SERVICE_CHECK_INTERVAL", "10x"), 80);
        httpd(good, check("SERVICE_NAME", "good", "SERVICE_CHECK_HTTP", "/health"), 80);
        eventually(() -> assertTrue(present(key("good", good, 80))));
        eventually(() -> {
            try {
                JsonNode e = explain(bad);
                assertEquals("skipped", e.path("state").asText(), e.toString());
                assertEquals("bad metadata: SERVICE_CHECK_INTERVAL is not a duration such as 500ms, 10s or 1m",
                        e.path("reason").asText());
                assertNull(e.get("checks"));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(Map.of(), Etcd.get("/services/bad/"));
        assertEquals(200, httpGet("/observe/health/ready").statusCode());
    }
}
