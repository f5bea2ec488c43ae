package io.github.camelregistrator.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /observe/health and /observe/metrics, served by camel-platform-http-main. */
class HealthIT extends RegistratorTestSupport {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator", "registrator.etcd-timeout", "500", "registrator.ttl", "3"};
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readinessFollowsEtcdAndMetricsCountTheWork() throws Exception {
        Workload w = workloads.start(Workloads.uniqueName("observed"), Map.of(), 80);
        assertExactly("/services/", Map.of("/services/" + Workloads.SERVICE_NAME + "/" + HOST + ":" + w.name() + ":80",
                IP + ":" + w.hostPort(80)));
        eventually(() -> assertEquals(200, get("/observe/health/ready").statusCode()));
        assertEquals(200, get("/observe/health/live").statusCode());

        String metrics = get("/observe/metrics").body();
        for (String name : new String[] {"registrator_events_total{type=\"start\"}", "registrator_containers_registered 1.0",
                "registrator_services_registered 1.0", "registrator_etcd_puts_total", "registrator_etcd_deletes_total",
                "registrator_reconcile_passes_total", "registrator_reconcile_drift_total",
                "registrator_reconcile_last_duration_seconds", "registrator_lease_keepalive_failures_total",
                "registrator_docker_reconnects_total", "registrator_etcd_call_seconds_count"}) {
            assertTrue(metrics.contains(name), name + " missing from\n" + metrics);
        }

        Etcd.stop();
        try {
            Eventually.within(Duration.ofSeconds(10), () -> {
                HttpResponse<String> ready = get("/observe/health/ready");
                assertEquals(503, ready.statusCode(), ready.body());
                assertTrue(ready.body().contains("etcd unreachable"), ready.body());
            });
            assertEquals(200, get("/observe/health/live").statusCode());
            assertTrue(!get("/observe/metrics").body().contains("registrator_lease_keepalive_failures_total 0.0"));
        } finally {
            Etcd.start();
        }
        eventually(() -> assertEquals(200, get("/observe/health/ready").statusCode()));
    }
}
