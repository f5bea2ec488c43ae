package io.github.camelregistrator.check;

import java.time.Duration;

/**
 * One service's check as its labels describe it. A {@link Kind#REFUSED} check is never run: the
 * service registers as if it had none, and {@code refusal} says why.
 *
 * @param path    HTTP(S): the path and query asked for, starting with {@code /}
 * @param method  HTTP(S): the request method
 * @param initiallyPassing {@code SERVICE_CHECK_INITIAL_STATUS=passing}: registered before the first probe
 * @param rise    passes in a row that bring a failing service back
 * @param fall    failures in a row that take a passing service out
 */
public record CheckSpec(Kind kind, String path, String method, Duration interval, Duration timeout,
                        boolean initiallyPassing, int rise, int fall, String refusal) {

    public enum Kind {
        HTTP, HTTPS, TCP, REFUSED;

        /** As shown in explain. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_RISE = 1;
    public static final int DEFAULT_FALL = 2;

    static CheckSpec refused(String why) {
        return new CheckSpec(Kind.REFUSED, null, null, DEFAULT_INTERVAL, DEFAULT_TIMEOUT, true, DEFAULT_RISE, DEFAULT_FALL, why);
    }

    /** Whether probes run for it. */
    public boolean probed() {
        return kind != Kind.REFUSED;
    }

    /** Where it goes: {@code http://ip:port/path} or {@code ip:port}, IPv6 bracketed. */
    public String target(String ip, int port) {
        String hostPort = (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
        return switch (kind) {
            case HTTP -> "http://" + hostPort + path;
            case HTTPS -> "https://" + hostPort + path;
            case TCP -> hostPort;
            case REFUSED -> null;
        };
    }
}
