package io.github.camelregistrator.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.github.camelregistrator.health.Causes;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** GET /observe/registrations[/&lt;name-or-id&gt;] (routes/observe.yaml): explanations as JSON. */
public final class Endpoint {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectWriter PRETTY = JSON.writerWithDefaultPrettyPrinter();
    /** The path parameter of routes/observe.yaml. */
    static final String CONTAINER = "container";

    private final Explainer explainer;

    public Endpoint(Explainer explainer) {
        this.explainer = explainer;
    }

    /** Every container on this host. */
    public void list(Exchange exchange) throws Exception {
        Message m = exchange.getMessage();
        try {
            answer(m, 200, explainer.all());
        } catch (RuntimeException e) {
            answer(m, 503, java.util.Map.of("error", "Docker did not answer: " + Causes.message(e)));
        }
    }

    /** One container, by name or id; 404 when Docker knows none. */
    public void one(Exchange exchange) throws Exception {
        Message m = exchange.getMessage();
        String container = m.getHeader(CONTAINER, String.class);
        try {
            Explanation e = container == null || container.isBlank() ? null : explainer.one(container);
            if (e == null) {
                answer(m, 404, java.util.Map.of("error", "no container named or with id " + container + " on this host"));
            } else {
                answer(m, 200, e);
            }
        } catch (RuntimeException e) {
            answer(m, 503, java.util.Map.of("error", "Docker did not answer: " + Causes.message(e)));
        }
    }

    private static void answer(Message m, int status, Object body) throws Exception {
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(PRETTY.writeValueAsString(body) + "\n");
    }
}
