package io.github.camelregistrator.check;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.camelregistrator.service.BadMetadataException;
import io.github.camelregistrator.service.Metadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Labels to a check, as a table: the SERVICE_* entries ("K=V;K=V") of a container, read for
 * port 80, and the check it gives (kind target method interval timeout initial rise fall), or
 * the refusal, or the skip reason.
 */
class CheckLabelsTest {

    @Test
    void ipv6TargetsAreBracketed() {
        CheckSpec http = CheckLabels.parse(Metadata.forPort(Map.of("SERVICE_CHECK_HTTP", "/h"), 80), 80);
        CheckSpec tcp = CheckLabels.parse(Metadata.forPort(Map.of("SERVICE_CHECK_TCP", "true"), 80), 80);
        assertEquals("http://[fd00::2]:80/h", http.target("fd00::2", 80));
        assertEquals("[fd00::2]:80", tcp.target("fd00::2", 80));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SERVICE_NAME=web | none",
            "SERVICE_CHECK_HTTP=/health | http http://10.1.2.3:80/health GET 10000ms 2000ms critical 1 2",
            "SERVICE_CHECK_HTTPS=/health?full=1 | https https://10.1.2.3:80/health?full=1 GET 10000ms 2000ms critical 1 2",
            "SERVICE_CHECK_TCP=true | tcp 10.1.2.3:80 GET 10000ms 2000ms critical 1 2",
            "SERVICE_CHECK_TCP=TRUE | tcp 10.1.2.3:80 GET 10000ms 2000ms critical 1 2",
            "SERVICE_CHECK_TCP=false | none",
            "SERVICE_CHECK_HTTP=/h;SERVICE_CHECK_HTTP_METHOD=head;SERVICE_CHECK_INTERVAL=500ms;SERVICE_CHECK_TIMEOUT=1.5s"
                    + ";SERVICE_CHECK_INITIAL_STATUS=passing;SERVICE_CHECK_RISE=3;SERVICE_CHECK_FALL=5"
                    + " | http http://10.1.2.3:80/h HEAD 500ms 1500ms passing 3 5",
            // gliderlabs' order: HTTP before TCP
            "SERVICE_CHECK_TCP=true;SERVICE_CHECK_HTTP=/h | http http://10.1.2.3:80/h GET 10000ms 2000ms critical 1 2",
            // per port wins over the general one, and applies to its port only
            "SERVICE_CHECK_INTERVAL=5s;SERVICE_80_CHECK_TCP=true;SERVICE_80_CHECK_INTERVAL=1m | tcp 10.1.2.3:80 GET 60000ms 2000ms critical 1 2",
            "SERVICE_81_CHECK_TCP=true | none",
            "SERVICE_CHECK_HTTP= | none",
            // refused: a command from a label would run as the registrator
            "SERVICE_CHECK_SCRIPT=curl x | refused SERVICE_CHECK_SCRIPT is refused",
            "SERVICE_80_CHECK_CMD=/bin/check | refused SERVICE_80_CHECK_CMD is refused",
            "SERVICE_CHECK_SCRIPT=x;SERVICE_CHECK_TCP=true | refused SERVICE_CHECK_SCRIPT is refused",
            "SERVICE_CHECK_TTL=30s | refused SERVICE_CHECK_TTL is not supported",
            // malformed: the label is named, its value never shown
            "SERVICE_CHECK_HTTP=/h;SERVICE_CHECK_INTERVAL=10x | skip SERVICE_CHECK_INTERVAL is not a duration such as 500ms, 10s or 1m",
            "SERVICE_CHECK_TCP=true;SERVICE_80_CHECK_INTERVAL=ten | skip SERVICE_80_CHECK_INTERVAL is not a duration such as 500ms, 10s or 1m",
            "SERVICE_CHECK_TCP=true;SERVICE_CHECK_INTERVAL=10ms | skip SERVICE_CHECK_INTERVAL is not between 100ms and 24h",
            "SERVICE_CHECK_TCP=true;SERVICE_CHECK_TIMEOUT=0 | skip SERVICE_CHECK_TIMEOUT is not between 1ms and 1h",
            "SERVICE_CHECK_HTTP=health | skip SERVICE_CHECK_HTTP is not a path such as /health",
            "SERVICE_CHECK_HTTP=//evil.example/x | skip SERVICE_CHECK_HTTP is not a path such as /health",
            "SERVICE_CHECK_HTTP=/a b | skip SERVICE_CHECK_HTTP is not a path such as /health",
            "SERVICE_CHECK_HTTP=/a#b | skip SERVICE_CHECK_HTTP is not a path such as /health",
            "SERVICE_CHECK_HTTP=/h;SERVICE_CHECK_HTTP_METHOD=GET / | skip SERVICE_CHECK_HTTP_METHOD is not an HTTP method such as GET or HEAD",
            "SERVICE_CHECK_TCP=yes | skip SERVICE_CHECK_TCP is neither true nor false",
            "SERVICE_CHECK_TCP=true;SERVICE_CHECK_INITIAL_STATUS=warning | skip SERVICE_CHECK_INITIAL_STATUS is neither passing nor critical",
            "SERVICE_CHECK_TCP=true;SERVICE_CHECK_RISE=0 | skip SERVICE_CHECK_RISE is not a whole number from 1 to 100",
            "SERVICE_CHECK_TCP=true;SERVICE_CHECK_FALL=two | skip SERVICE_CHECK_FALL is not a whole number from 1 to 100",
    })
    void readsChecks(String labels, String expected) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String kv : labels.split(";")) {
            int eq = kv.indexOf('=');
            entries.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        String got;
        try {
            CheckSpec s = CheckLabels.parse(Metadata.forPort(entries, 80), 80);
            if (s == null) {
                got = "none";
            } else if (!s.probed()) {
                got = "refused " + s.refusal();
            } else {
                got = s.kind().label() + " " + s.target("10.1.2.3", 80) + " " + s.method() + " " + s.interval().toMillis()
                        + "ms " + s.timeout().toMillis() + "ms " + (s.initiallyPassing() ? "passing" : "critical") + " "
                        + s.rise() + " " + s.fall();
            }
        } catch (BadMetadataException e) {
            got = "skip " + e.getMessage();
        }
        if (expected.startsWith("refused")) {
            assertEquals(expected, got.substring(0, Math.min(got.length(), expected.length())), got);
        } else {
            assertEquals(expected, got);
        }
    }
}
