package io.github.camelregistrator.check;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

import io.github.camelregistrator.service.BadMetadataException;
import io.github.camelregistrator.service.Metadata;

/**
 * Reads one port's check from its {@code SERVICE_CHECK_*} (or {@code SERVICE_<port>_CHECK_*})
 * labels and environment, by gliderlabs/registrator's names. The kind is chosen in gliderlabs'
 * order: HTTP, HTTPS, CMD, SCRIPT, TTL, TCP. A malformed value is refused naming its label,
 * never showing the value.
 */
public final class CheckLabels {
    static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    static final Duration MAX_INTERVAL = Duration.ofHours(24);
    static final Duration MIN_TIMEOUT = Duration.ofMillis(1);
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    /** An HTTP token, as request methods are; CONNECT is no check. */
    private static final Pattern METHOD = Pattern.compile("[A-Za-z]{1,16}");

    private CheckLabels() {
    }

    /**
     * @return the port's check, or null when it has none
     * @throws BadMetadataException naming the label when a value is malformed
     */
    public static CheckSpec parse(Metadata meta, int port) {
        Reader r = new Reader(meta, port);
        String http = r.get("check_http");
        String https = r.get("check_https");
        CheckSpec.Kind kind;
        String path = null;
        if (http != null || https != null) {
            kind = http != null ? CheckSpec.Kind.HTTP : CheckSpec.Kind.HTTPS;
            path = path(http != null ? http : https, r.name(http != null ? "check_http" : "check_https"));
        } else if (r.get("check_cmd") != null || r.get("check_script") != null) {
            String label = r.name(r.get("check_cmd") != null ? "check_cmd" : "check_script");
            return CheckSpec.refused(label + " is refused: running a command taken from a label would let any"
                    + " container run code as the registrator; registered as if it had no check");
        } else if (r.get("check_ttl") != null) {
            return CheckSpec.refused(r.name("check_ttl") + " is not supported: a TTL check is passed by the service"
                    + " itself through Consul's API, which etcd has not; registered as if it had no check");
        } else if (r.get("check_tcp") != null) {
            if (!r.flag("check_tcp")) {
                return null;
            }
            kind = CheckSpec.Kind.TCP;
        } else {
            return null;
        }
        String method = "GET";
        if (kind != CheckSpec.Kind.TCP && r.get("check_http_method") != null) {
            method = r.get("check_http_method").toUpperCase(Locale.ROOT);
            if (!METHOD.matcher(method).matches() || method.equals("CONNECT")) {
                throw new BadMetadataException(r.name("check_http_method") + " is not an HTTP method such as GET or HEAD");
            }
        }
        Duration interval = r.duration("check_interval", CheckSpec.DEFAULT_INTERVAL, MIN_INTERVAL, MAX_INTERVAL);
        Duration timeout = r.duration("check_timeout", CheckSpec.DEFAULT_TIMEOUT, MIN_TIMEOUT, MAX_TIMEOUT);
        boolean passing = false;
        String initial = r.get("check_initial_status");
        if (initial != null) {
            switch (initial.trim().toLowerCase(Locale.ROOT)) {
                case "passing" -> passing = true;
                case "critical" -> passing = false;
                default -> throw new BadMetadataException(r.name("check_initial_status") + " is neither passing nor critical");
            }
        }
        return new CheckSpec(kind, path, method, interval, timeout, passing, r.count("check_rise", CheckSpec.DEFAULT_RISE),
                r.count("check_fall", CheckSpec.DEFAULT_FALL), null);
    }

    /** A path and query to ask for: starting with '/', nothing a URI refuses. */
    private static String path(String value, String label) {
        String p = value.trim();
        boolean ok = p.startsWith("/") && !p.startsWith("//") && p.chars().noneMatch(c -> c <= ' ' || c == 0x7f);
        if (ok) {
            try {
                URI u = new URI("http://host" + p);
                ok = u.getFragment() == null && "host".equals(u.getHost());
            } catch (java.net.URISyntaxException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new BadMetadataException(label + " is not a path such as /health");
        }
        return p;
    }

    /** Reads values and names their labels as the container set them (per port or general). */
    private record Reader(Metadata meta, int port) {
        String get(String key) {
            return meta.get(key);
        }

        String name(String key) {
            return "SERVICE_" + (meta.fromPort(key) ? port + "_" : "") + key.toUpperCase(Locale.ROOT);
        }

        boolean flag(String key) {
            return switch (get(key).trim().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new BadMetadataException(name(key) + " is neither true nor false");
            };
        }

        Duration duration(String key, Duration fallback, Duration min, Duration max) {
            String v = get(key);
            if (v == null) {
                return fallback;
            }
            Duration d = GoDuration.parse(v.trim());
            if (d == null) {
                throw new BadMetadataException(name(key) + " is not a duration such as 500ms, 10s or 1m");
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new BadMetadataException(name(key) + " is not between " + text(min) + " and " + text(max));
            }
            return d;
        }

        int count(String key, int fallback) {
            String v = get(key);
            if (v == null) {
                return fallback;
            }
            String t = v.trim();
            if (!t.matches("\\d{1,3}") || Integer.parseInt(t) < 1 || Integer.parseInt(t) > 100) {
                throw new BadMetadataException(name(key) + " is not a whole number from 1 to 100");
            }
            return Integer.parseInt(t);
        }
    }

    private static String text(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + "ms" : d.toHours() >= 1 ? d.toHours() + "h" : d.toSeconds() + "s";
    }
}
