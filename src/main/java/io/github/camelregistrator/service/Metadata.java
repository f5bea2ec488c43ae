package io.github.camelregistrator.service;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code SERVICE_*} metadata of a container for one port, read as gliderlabs/registrator
 * reads it: env first, labels over env, keys lower-cased, {@code SERVICE_<port>_X} over
 * {@code SERVICE_X}.
 */
public final class Metadata {
    private final Map<String, String> values;
    private final Set<String> fromPort;

    private Metadata(Map<String, String> values, Set<String> fromPort) {
        this.values = values;
        this.fromPort = fromPort;
    }

    /** Env and labels merged, labels winning; only {@code SERVICE_} entries kept. */
    public static Map<String, String> serviceEntries(String[] env, Map<String, String> labels) {
        Map<String, String> merged = new LinkedHashMap<>();
        if (env != null) {
            for (String kv : env) {
                int eq = kv.indexOf('=');
                if (eq > 0 && kv.startsWith("SERVICE_")) {
                    merged.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        if (labels != null) {
            labels.forEach((k, v) -> {
                if (k.startsWith("SERVICE_") && v != null) {
                    merged.put(k, v);
                }
            });
        }
        return merged;
    }

    /** The metadata that applies to one private port. */
    public static Metadata forPort(Map<String, String> serviceEntries, int privatePort) {
        String port = Integer.toString(privatePort);
        Map<String, String> general = new HashMap<>();
        Map<String, String> specific = new HashMap<>();
        serviceEntries.forEach((rawKey, value) -> {
            String key = rawKey.substring("SERVICE_".length()).toLowerCase(java.util.Locale.ROOT);
            int us = key.indexOf('_');
            if (us > 0 && isDigits(key.substring(0, us))) {
                if (key.substring(0, us).equals(port)) {
                    specific.put(key.substring(us + 1), value);
                }
            } else {
                general.put(key, value);
            }
        });
        Map<String, String> merged = new HashMap<>(general);
        merged.putAll(specific);
        return new Metadata(merged, new HashSet<>(specific.keySet()));
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The value, or null when unset or empty (an empty value means unset, as in gliderlabs). */
    public String get(String key) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? null : v;
    }

    public boolean fromPort(String key) {
        return fromPort.contains(key);
    }

    /** Everything but name, id, tags, ignore and network, which steer the mapping. */
    public Map<String, String> attributes() {
        Map<String, String> attrs = new java.util.TreeMap<>(values);
        attrs.remove("name");
        attrs.remove("id");
        attrs.remove("tags");
        attrs.remove("ignore");
        attrs.remove("network");
        return attrs;
    }
}
