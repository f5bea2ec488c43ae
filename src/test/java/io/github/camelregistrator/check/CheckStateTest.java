package io.github.camelregistrator.check;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The rise and fall rule, as a table: a sequence of probe results (P pass, F fail) and where it ends. */
class CheckStateTest {

    @ParameterizedTest(name = "initially {0}, rise {1}, fall {2}: {3} -> {4}")
    @CsvSource({
            // initial status critical: registered after the first pass (rise 1)
            "critical, 1, 2, '',    critical/0/0",
            "critical, 1, 2, P,     passing/1/0",
            "critical, 1, 2, F,     critical/0/1",
            "critical, 1, 2, FFP,   passing/1/0",
            // one failure is tolerated with fall 2; the second in a row takes it out
            "critical, 1, 2, PF,    passing/0/1",
            "critical, 1, 2, PFF,   critical/0/2",
            "critical, 1, 2, PFPF,  passing/0/1",
            "critical, 1, 2, PFFP,  passing/1/0",
            // rise 3: three passes in a row, a failure starts the count again
            "critical, 3, 2, PP,    critical/2/0",
            "critical, 3, 2, PPP,   passing/3/0",
            "critical, 3, 2, PPFPP, critical/2/0",
            "critical, 3, 1, PPPF,  critical/0/1",
            // initial status passing: registered before any probe, out after fall failures
            "passing,  1, 2, '',    passing/0/0",
            "passing,  1, 2, F,     passing/0/1",
            "passing,  1, 2, FF,    critical/0/2",
            "passing,  1, 3, FFPFF, passing/0/2",
            "passing,  2, 1, FP,    critical/1/0",
            "passing,  2, 1, FPP,   passing/2/0",
    })
    void risesAndFalls(String initial, int rise, int fall, String probes, String expected) {
        CheckSpec spec = new CheckSpec(CheckSpec.Kind.TCP, null, null, CheckSpec.DEFAULT_INTERVAL, CheckSpec.DEFAULT_TIMEOUT,
                initial.equals("passing"), rise, fall, null);
        CheckState s = CheckState.initial(spec);
        for (char c : probes.toCharArray()) {
            s = s.next(c == 'P', rise, fall);
        }
        assertEquals(expected, s.label() + "/" + s.passes() + "/" + s.failures());
    }
}
