package io.github.camelregistrator.it;

import java.util.Map;

import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /observe/health and /observe/metrics, served by camel-platform-http-main. */
class HealthIT extends RegistratorTestSupport {

    /** Only this run's container counts: other sessions' containers share the engine. */
    private static final String RUN = "x" + java.util.UUID.randomUUID().toString().substring(0, 6);

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator", "registrator.etcd-timeout", "500", "registrator.ttl", "3",
            "registrator.names", "observed-" + RUN + "-.*"};
    }

    @Test
    void readinessFollowsEtcdAndMetricsCountTheWork() throws Exception {
        Workload w = workloads.start(Workloads.uniqueName("observed-" + RUN), Map.of(), 80);
        assertExactly("/services/", Map.of(serviceKey(w.name()),
                IP + ":" + w.hostPort(80)));
        eventually(() -> assertEquals(200, httpGet("/observe/health/ready").statusCode()));
        assertEquals(200, httpGet("/observe/health/live").statusCode());
        // compact, well-formed JSON: one line that Jackson reads, the registrator's check in it
        for (String path : new String[] {"/observe/health", "/observe/health/ready"}) {
            String body = httpGet(path).body();
            assertEquals(1, body.strip().lines().count(), body);
            com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
            assertEquals("UP", doc.get("status").asText(), body);
            assertTrue(body.contains("{\"name\":\"registrator\",\"status\":\"UP\""), body);
        }

        String metrics = httpGet("/observe/metrics").body();
        for (String name : new String[] {"registrator_events_total{type=\"start\"}", "registrator_containers_registered 1.0",
                "registrator_services_registered 1.0", "registrator_etcd_pending 0.0", "registrator_etcd_puts_total", "registrator_etcd_deletes_total",
                "registrator_reconcile_passes_total", "registrator_reconcile_drift_total",
                "registrator_reconcile_last_duration_seconds", "registrator_lease_keepalive_failures_total",
                "registrator_docker_reconnects_total", "registrator_etcd_call_seconds_count"}) {
            assertTrue(metrics.contains(name), name + " missing from\n" + metrics);
        }
        // the event's way to etcd, stage by stage
        for (String stage : new String[] {"queued", "inspect", "map", "deliver", "total"}) {
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("registrator_stage_seconds_count{")
                    && l.contains("stage=\"" + stage + "\"") && !l.endsWith(" 0.0")), stage + " missing from\n" + metrics);
        }

        Etcd.stop();
        try {
            assertReadinessReportsEtcdDown();
            assertEquals(200, httpGet("/observe/health/live").statusCode());
            assertTrue(!httpGet("/observe/metrics").body().contains("registrator_lease_keepalive_failures_total 0.0"));
        } finally {
            Etcd.start();
        }
        eventually(() -> assertEquals(200, httpGet("/observe/health/ready").statusCode()));
    }
}
