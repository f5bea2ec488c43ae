package io.github.camelregistrator.layout;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.spi.Language;

/**
 * Writes a layout's JSON value from a JSON template held in the exchange variable
 * {@value #VARIABLE}. Every string in the template may hold simple-language expressions; a
 * string that is exactly one expression takes the expression's type (a port stays a number,
 * tags a list, attributes an object), any other is text. Jackson does the escaping, so no
 * label can break out of its string.
 */
public class JsonTemplate {
    public static final String VARIABLE = "json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, JsonNode> templates = new ConcurrentHashMap<>();
    private final Map<String, Expression> expressions = new ConcurrentHashMap<>();

    /** The value as JSON text. */
    public String render(Exchange exchange) throws JsonProcessingException {
        return JSON.writeValueAsString(node(exchange));
    }

    /** The value as a tree, for a route that aggregates several into one JSON document. */
    public JsonNode node(Exchange exchange) {
        String template = exchange.getVariable(VARIABLE, String.class);
        if (template == null) {
            throw new IllegalArgumentException("no JSON template in variable " + VARIABLE);
        }
        JsonNode parsed = templates.computeIfAbsent(template, t -> {
            try {
                return JSON.readTree(t);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("not a JSON template: " + t, e);
            }
        });
        return fill(parsed, exchange);
    }

    private JsonNode fill(JsonNode node, Exchange exchange) {
        if (node.isTextual()) {
            return text(node.textValue(), exchange);
        }
        if (node.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                out.set(field.getKey(), fill(field.getValue(), exchange));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(child -> out.add(fill(child, exchange)));
            return out;
        }
        return node;
    }

    private JsonNode text(String s, Exchange exchange) {
        if (!s.contains("${")) {
            return TextNode.valueOf(s);
        }
        Expression expression = expressions.computeIfAbsent(s, t -> {
            Language simple = exchange.getContext().resolveLanguage("simple");
            return simple.createExpression(t);
        });
        boolean whole = s.startsWith("${") && s.endsWith("}") && s.indexOf("${", 2) < 0;
        Object value = expression.evaluate(exchange, Object.class);
        if (whole && !(value instanceof String)) {
            return JSON.valueToTree(value);
        }
        return TextNode.valueOf(value == null ? "" : value.toString());
    }
}
