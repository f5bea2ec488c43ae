package io.github.camelregistrator.layout;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;

/**
 * Builds a JSON object for a layout route from exchange variables, in the order named, so a
 * route can spell out its value's fields and Jackson writes them escaped and byte-stable.
 */
public class JsonObject {

    /** @param names comma-separated variable names; each becomes a string field */
    public Map<String, Object> fromVariables(String names, Exchange exchange) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : names.split(",")) {
            name = name.trim();
            Object value = exchange.getVariable(name);
            out.put(name, value == null ? null : value.toString());
        }
        return out;
    }
}
