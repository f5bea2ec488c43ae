package io.github.camelregistrator.health;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * GET /observe/health, /observe/health/live and /observe/health/ready (routes/observe.yaml):
 * Camel's health checks as one line of JSON written by Jackson, 503 when any is DOWN. Camel's
 * own handler writes its JSON by hand (a brace after a long run of spaces).
 */
public final class HealthEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    public void all(Exchange exchange) throws Exception {
        answer(exchange.getMessage(), HealthCheckHelper.invoke(exchange.getContext()));
    }

    public void live(Exchange exchange) throws Exception {
        answer(exchange.getMessage(), HealthCheckHelper.invokeLiveness(exchange.getContext()));
    }

    public void ready(Exchange exchange) throws Exception {
        answer(exchange.getMessage(), HealthCheckHelper.invokeReadiness(exchange.getContext()));
    }

    /** The document: overall status, then each check's name, status and message (when it has one). */
    static Map<String, Object> document(Collection<HealthCheck.Result> results) {
        boolean up = results.stream().allMatch(r -> r.getState() != HealthCheck.State.DOWN);
        List<Map<String, Object>> checks = new ArrayList<>();
        for (HealthCheck.Result r : results) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("name", r.getCheck().getId());
            check.put("status", r.getState().name());
            r.getMessage().ifPresent(message -> check.put("message", message));
            checks.add(check);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("status", up ? "UP" : "DOWN");
        doc.put("checks", checks);
        return doc;
    }

    private static void answer(Message m, Collection<HealthCheck.Result> results) throws Exception {
        Map<String, Object> doc = document(results);
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, "UP".equals(doc.get("status")) ? 200 : 503);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(JSON.writeValueAsString(doc) + "\n");
    }
}
