package io.github.camelregistrator.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.github.camelregistrator.config.RegistratorConfiguration;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.testcontainers.containers.GenericContainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the registrator in the test JVM, as Camel Main with the project's own
 * application.properties and YAML routes, against real Docker and a real etcd.
 */
public abstract class RegistratorTestSupport extends CamelMainTestSupport {
    protected static final String HOST = "it-host";
    protected static final String IP = "10.0.0.5";
    // HTTP/1.1: the JDK client's h2c upgrade once left a request unanswered and its timeout never fired
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    protected final Workloads workloads = new Workloads();
    // no initializer: options() runs from the superclass constructor, before initializers
    private int httpPort;

    /** Options on top of application.properties. */
    protected Properties options() {
        Properties p = new Properties();
        p.put("registrator.etcd-endpoints", Etcd.endpoint());
        p.put("registrator.host-id", HOST);
        p.put("registrator.advertise-ip", IP);
        p.put("registrator.layouts", "registrator,docker-etcd-register");
        p.put("registrator.ttl", "5");
        p.put("camel.main.shutdownTimeout", "5");
        p.put("registrator.http-port", String.valueOf(httpPort()));
        String[] overrides = overrides();
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            p.put(overrides[i], overrides[i + 1]);
        }
        return p;
    }

    /** The port of this test's health and metrics endpoints. */
    protected int httpPort() {
        if (httpPort == 0) {
            httpPort = Etcd.freePort();
        }
        return httpPort;
    }

    /** What a test class changes of {@link #options()}: name, value, name, value... */
    protected String[] overrides() {
        return new String[0];
    }

    /** Runs before the registrator starts: a clean etcd, unless a test seeds it. */
    @Override
    protected void doPreSetup() throws Exception {
        Etcd.clear();
        beforeRegistratorStarts();
    }

    /** For tests of start-up: seed etcd or start containers while no registrator runs. */
    protected void beforeRegistratorStarts() throws Exception {
    }

    /** The registrator's registry bean, to read what it believes it owns. */
    protected io.github.camelregistrator.etcd.Registry registry() {
        return context.getRegistry().lookupByNameAndType("registry", io.github.camelregistrator.etcd.Registry.class);
    }

    /** Every key in etcd outside the layouts' and the bookkeeping prefixes. */
    protected static java.util.Set<String> keysOutsidePrefixes() {
        java.util.Set<String> out = new java.util.TreeSet<>(Etcd.get("/").keySet());
        out.removeIf(k -> k.startsWith("/services/") || k.startsWith("/services-json/") || k.startsWith("/registered/")
                || k.startsWith("/registrator/"));
        return out;
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        configuration.withUseOverridePropertiesWithPropertiesComponent(options());
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(RegistratorConfiguration.class);
        configuration.withRoutesIncludePattern("file:routes/*.yaml");
    }

    @AfterEach
    void removeWorkloads() {
        workloads.close();
    }

    /** GET on this registrator's HTTP endpoint (health, metrics). */
    protected HttpResponse<String> httpGet(String path) {
        try {
            // a deadline of the test's own too: a BadMetadataIT run waited on one request for 5 minutes
            return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The registrator layout's key of a container's port 80, under /services/. */
    protected static String serviceKey(String containerName) {
        return "/services/" + Workloads.SERVICE_NAME + "/" + HOST + ":" + containerName + ":80";
    }

    /** Readiness turns 503 and names etcd, within 10 s of etcd going away. */
    protected void assertReadinessReportsEtcdDown() {
        Eventually.within(Duration.ofSeconds(10), () -> {
            HttpResponse<String> ready = httpGet("/observe/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("etcd unreachable"), ready.body());
        });
    }

    /** registrator_reconcile_passes_total: full passes finished so far. */
    protected double reconcilePasses() {
        return metric("registrator_reconcile_passes_total");
    }

    /** registrator_docker_inspects_total: Docker inspects this process made so far. */
    protected double dockerInspects() {
        return metric("registrator_docker_inspects_total");
    }

    /** The value of an untagged metric in /observe/metrics. */
    protected double metric(String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+-]+)$")
                .matcher(httpGet("/observe/metrics").body());
        assertTrue(m.find(), "no " + name + " in /observe/metrics");
        return Double.parseDouble(m.group(1));
    }

    /**
     * Asks for a full pass and returns once one that started after this call has finished. A
     * pass asked for while another runs is folded into one more pass after it, so two are
     * asked for; passes never overlap, so of two that finish after the count was read, the
     * second started after it.
     */
    protected void reconcileNow() {
        double before = reconcilePasses();
        template.sendBody("direct:reconcile", null);
        template.sendBody("direct:reconcile", null);
        awaitPasses(before, 2);
    }

    /** Returns once n full passes have finished since the count read {@code since}. */
    protected void awaitPasses(double since, int n) {
        eventually(() -> assertTrue(reconcilePasses() >= since + n, "passes since " + since + ": " + reconcilePasses()));
    }

    /** The modRevision of every key under the prefix: a key rewritten, even with the same value, gets a new one. */
    protected static Map<String, Long> modRevisions(String prefix) {
        try {
            Map<String, Long> out = new TreeMap<>();
            for (KeyValue kv : Etcd.client().getKVClient().get(Etcd.bytes(prefix), GetOption.builder().isPrefix(true).build())
                    .get(5, TimeUnit.SECONDS).getKvs()) {
                out.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getModRevision());
            }
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A barrier for asserting that nothing happened: starts the container, waits until its key
     * is in etcd, and removes it again (and waits for its key to go). Docker sends its start
     * after every event the test caused before, and one sync worker takes events in the order
     * they came, so once its key is there, every earlier event has been handled; what those
     * did not write by then, they did not write. Needs registrator.workers=1: with more,
     * another worker may still be busy with an earlier event.
     */
    protected void awaitEarlierEventsHandled(GenericContainer<?> barrier, String key) {
        assertEquals("1", context.resolvePropertyPlaceholders("{{registrator.workers}}"),
                "a barrier proves the order of events only with one sync worker");
        Workloads.Workload w = workloads.start(barrier);
        eventually(() -> assertTrue(Etcd.get(key).containsKey(key), key + " not registered"));
        workloads.remove(w);
        eventually(() -> assertFalse(Etcd.get(key).containsKey(key), key + " not removed"));
    }

    /** {@link #awaitEarlierEventsHandled(GenericContainer, String)} with a plain container, for the registrator layout. */
    protected void awaitEarlierEventsHandled() {
        String name = Workloads.uniqueName("barrier");
        awaitEarlierEventsHandled(Workloads.busybox(name).withExposedPorts(80), serviceKey(name));
    }

    protected static void eventually(Runnable assertion) {
        Eventually.within(Duration.ofSeconds(10), assertion);
    }

    /** etcd holds exactly these keys and values under the prefix. */
    protected static void assertExactly(String prefix, Map<String, String> expected) {
        eventually(() -> assertEquals(new java.util.TreeMap<>(expected), Etcd.get(prefix)));
    }
}
