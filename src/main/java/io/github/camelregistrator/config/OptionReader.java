package io.github.camelregistrator.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** Reads one option and checks it: each bad value is an IllegalArgumentException whose message names the option. */
record OptionReader(Function<String, String> props) {
    String optional(String name) {
        String v = props.apply(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    String required(String name) {
        String v = optional(name);
        if (v == null) {
            throw new IllegalArgumentException(name + ": a value is required");
        }
        return v;
    }

    /** @param unit what the number counts, for the message (seconds, ...); empty for a plain number */
    long number(String name, long min, long max, String unit) {
        String v = required(name);
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + v + "' is not a whole number"
                    + (unit.isEmpty() ? "" : " of " + unit) + " (" + min + " to " + max + ")");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + ": '" + v + "' is not between " + min + " and " + max
                    + (unit.isEmpty() ? "" : " " + unit));
        }
        return n;
    }

    boolean bool(String name) {
        String v = required(name);
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(name + ": '" + v + "' is neither true nor false");
        }
        return Boolean.parseBoolean(v);
    }

    String prefix(String name) {
        String v = required(name);
        while (v.length() > 1 && v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        String body = v.startsWith("/") ? v.substring(1) : v;
        if (body.isEmpty() || ("/" + body + "/").contains("//") || ("/" + body + "/").contains("/../")
                || ("/" + body + "/").contains("/./") || v.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException(name + ": '" + v + "' must be a key prefix like /services");
        }
        return v;
    }

    String file(String name) {
        String v = optional(name);
        if (v != null && !(Files.isRegularFile(Path.of(v)) && Files.isReadable(Path.of(v)))) {
            throw new IllegalArgumentException(name + ": cannot read '" + v + "' (a readable PEM file is expected)");
        }
        return v;
    }

    String domain(String name) {
        String v = required(name);
        if (!v.matches("([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*")) {
            throw new IllegalArgumentException(name + ": '" + v + "' is not a DNS domain");
        }
        return v;
    }

    String endpoint(String name, String v) {
        try {
            URI uri = URI.create(v);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getPort() < 0) {
                throw new IllegalArgumentException();
            }
            return v;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": '" + v + "' is not an http(s)://host:port URL");
        }
    }
}
