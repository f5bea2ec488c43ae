package io.github.camelregistrator.check;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's duration syntax, as gliderlabs/registrator passes {@code SERVICE_CHECK_INTERVAL} on to
 * Consul: a sequence of decimal numbers, each with an optional fraction and a unit
 * ({@code 500ms}, {@code 1m30s}, {@code 1.5h}); units ns, us (µs), ms, s, m, h; a bare
 * {@code 0}. No sign: a negative interval means nothing here.
 */
public final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)");
    private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "\u00b5s", 1_000L, "\u03bcs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {
    }

    /** @return null when the text is not a duration in Go's syntax */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return null;
        }
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(text);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                return null;
            }
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
            at = m.end();
        }
        // Go's limit: about 290 years
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return null;
        }
        return Duration.ofNanos(nanos.longValue());
    }
}
