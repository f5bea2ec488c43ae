package io.github.camelregistrator.health;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultTest {

    @Test
    void aFaultThatLastsAnHourLogsAtMostOneLineAMinuteAfterItsFirstSteps() {
        AtomicLong now = new AtomicLong();
        Fault fault = new Fault("etcd refuses writes", now::get);
        int logged = 0;
        // one occurrence every 10 ms for an hour
        for (long t = 0; t < 3_600_000; t += 10) {
            now.set(t);
            if (fault.occurred("permission denied")) {
                logged++;
            }
        }
        // 1, 2, 4 ... 32 s, then once a minute: 7 lines in the first 64 s, then about 59
        assertTrue(logged <= 70, "lines: " + logged);
        assertTrue(logged >= 60, "lines: " + logged);
        assertEquals("etcd refuses writes: permission denied", fault.reason());
        fault.cleared();
        assertNull(fault.reason());
    }

    @Test
    void aNewFaultAfterTheEndStartsWithALineAgain() {
        AtomicLong now = new AtomicLong();
        Fault fault = new Fault("etcd unreachable", now::get);
        assertTrue(fault.occurred("connection refused"));
        fault.cleared();
        now.set(10);
        assertTrue(fault.occurred("connection refused"));
    }
}
