package io.github.camelregistrator.it;

import java.util.Map;
import java.util.Set;

import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile labels are encoded or refused; no key escapes its prefix; the process carries on. */
class BadMetadataIT extends RegistratorTestSupport {

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator"};
    }

    @Test
    void hostileNamesAreEncodedOrRefused() {
        // label value -> its encoding as a key segment; ids are the value plus "-id"
        String[][] cases = {
                {"../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "..%2F..%2Fetc%2Fpasswd-id"},
                {"a/b", "a%2Fb", "a%2Fb-id"},
                {"line\nbreak", "line%0Abreak", "line%0Abreak-id"},
                {"..", "%2E%2E", "..-id"},
                {"café-ü", "caf%C3%A9-%C3%BC", "caf%C3%A9-%C3%BC-id"},
                {"{\"json\":1}", "%7B%22json%22:1%7D", "%7B%22json%22:1%7D-id"},
                {"tab\there", "tab%09here", "tab%09here-id"},
                {"x".repeat(300), "x".repeat(300), "x".repeat(300) + "-id"}};
        Map<String, String> expected = new java.util.TreeMap<>();
        int i = 0;
        for (String[] c : cases) {
            Workload w = workloads.start(Workloads.uniqueName("bad" + i++),
                    Map.of("SERVICE_NAME", c[0], "SERVICE_ID", c[0] + "-id"), 80);
            expected.put("/services/" + c[1] + "/" + c[2], IP + ":" + w.hostPort(80));
        }
        // refused: a 20 KB tag list; an empty SERVICE_NAME falls back to the image name
        workloads.start(Workloads.uniqueName("huge"), Map.of("SERVICE_TAGS", "t,".repeat(10_000)), 80);
        Workload empty = workloads.start(Workloads.uniqueName("empty"), Map.of("SERVICE_NAME", "", "SERVICE_ID", "empty-id"), 80);
        expected.put("/services/" + Workloads.SERVICE_NAME + "/empty-id",
                IP + ":" + empty.hostPort(80));
        // the process is still healthy: a good container after the bad ones registers
        Workload good = workloads.start(Workloads.uniqueName("good"), Map.of("SERVICE_NAME", "good", "SERVICE_ID", "good-id"), 80);
        expected.put("/services/good/good-id", IP + ":" + good.hostPort(80));

        assertExactly("/services/", expected);
        assertEquals(Set.of(), keysOutsidePrefixes());
        assertTrue(context.isStarted());
    }
}
