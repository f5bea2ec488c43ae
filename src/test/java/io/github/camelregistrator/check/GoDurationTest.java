package io.github.camelregistrator.check;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GoDurationTest {

    @ParameterizedTest(name = "{0} -> {1} ns")
    @CsvSource(nullValues = "null", value = {
            "500ms, 500000000",
            "10s, 10000000000",
            "1m, 60000000000",
            "1h, 3600000000000",
            "1m30s, 90000000000",
            "1.5s, 1500000000",
            ".5s, 500000000",
            "250us, 250000",
            "250\u00b5s, 250000",
            "7ns, 7",
            "0, 0",
            "2h45m, 9900000000000",
            // not Go's syntax
            "10, null",
            "10x, null",
            "s, null",
            "-1s, null",
            "+1s, null",
            "1 s, null",
            "' 1s', null",
            "1S, null",
            "1d, null",
            "1.2.3s, null",
            "'', null",
            "9999999999h, null",
    })
    void parsesGoDurations(String text, Long nanos) {
        Duration d = GoDuration.parse(text);
        assertEquals(nanos, d == null ? null : d.toNanos(), text);
    }
}
