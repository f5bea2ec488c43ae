package io.github.camelregistrator.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A corpus of hostile metadata: each container is registered with its names encoded into one
 * key segment, or skipped with exactly one warning; no key lands outside the prefixes, and the
 * process stays healthy throughout.
 */
class BadMetadataIT extends RegistratorTestSupport {
    private static final String SVC = Workloads.SERVICE_NAME;

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator,registrator-json"};
    }

    /** A label value for SERVICE_NAME and SERVICE_ID (+ "-id"), and the segments they must become. */
    private static final String[][] NAMES = {
        {"../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "..%2F..%2Fetc%2Fpasswd-id"},
        {"a/b", "a%2Fb", "a%2Fb-id"},
        {"line\nbreak", "line%0Abreak", "line%0Abreak-id"},
        {"carriage\rreturn", "carriage%0Dreturn", "carriage%0Dreturn-id"},
        {"..", "%2E%2E", "..-id"},
        {".", "%2E", ".-id"},
        {"café-ü", "caf%C3%A9-%C3%BC", "caf%C3%A9-%C3%BC-id"},
        {"{\"json\":1}", "%7B%22json%22:1%7D", "%7B%22json%22:1%7D-id"},
        {"tab\there", "tab%09here", "tab%09here-id"},
        {"x".repeat(300), "x".repeat(300), "x".repeat(300) + "-id"},
        {"rocket\uD83D\uDE80", "rocket%F0%9F%9A%80", "rocket%F0%9F%9A%80-id"},
        {"\u202Eevil", "%E2%80%AEevil", "%E2%80%AEevil-id"},
        {"zero\u200Bwidth", "zero%E2%80%8Bwidth", "zero%E2%80%8Bwidth-id"},
        {"back\\slash", "back%5Cslash", "back%5Cslash-id"},
        {"pre%2Fencoded", "pre%252Fencoded", "pre%252Fencoded-id"},
        {"   ", "%20%20%20", "%20%20%20-id"},
        {"x/y/../z", "x%2Fy%2F..%2Fz", "x%2Fy%2F..%2Fz-id"},
        {"a b", "a%20b", "a%20b-id"},
        {"<script>", "%3Cscript%3E", "%3Cscript%3E-id"},
        {"n".repeat(1024), "n".repeat(1024), null},
    };

    @Test
    void hostileMetadataIsEncodedOrRefusedWithOneWarning() throws Exception {
        Map<String, String> expected = new TreeMap<>();
        List<String> refused = new ArrayList<>();
        try (LogCapture log = new LogCapture()) {
            int i = 0;
            for (String[] c : NAMES) {
                String name = Workloads.uniqueName("bad" + i++);
                if (c[2] == null) {
                    // the id would exceed 1024 characters: refused
                    workloads.start(name, Map.of("SERVICE_NAME", c[0], "SERVICE_ID", c[0] + "-id"), 80);
                    refused.add(name);
                    continue;
                }
                Workload w = workloads.start(name, Map.of("SERVICE_NAME", c[0], "SERVICE_ID", c[0] + "-id"), 80);
                expected.put("/services/" + c[1] + "/" + c[2], IP + ":" + w.hostPort(80));
            }
            // refused: oversized values
            String huge = Workloads.uniqueName("huge");
            workloads.start(huge, Map.of("SERVICE_TAGS", "t,".repeat(10_000)), 80);
            refused.add(huge);
            String long1025 = Workloads.uniqueName("long");
            workloads.start(long1025, Map.of("SERVICE_REGION", "r".repeat(1025)), 80);
            refused.add(long1025);
            // ignored silently or registered with defaults
            workloads.start(Workloads.uniqueName("ignored"), Map.of("SERVICE_IGNORE", "0"), 80);
            for (Map<String, String> odd : List.of(Map.of("SERVICE_NAME", ""), Map.of("SERVICE_99999_NAME", "x"),
                    Map.of("SERVICE_-1_NAME", "x"), Map.of("SERVICE_0_NAME", "x"), Map.of("SERVICE_NAMÉ", "x"))) {
                String name = Workloads.uniqueName("odd");
                Workload w = workloads.start(name, odd, 80);
                expected.put("/services/" + SVC + "/" + HOST + ":" + name + ":80", IP + ":" + w.hostPort(80));
            }
            // label over env, port-specific over general
            String conflict = Workloads.uniqueName("conflict");
            Workload wc = workloads.start(conflict, Map.of("SERVICE_NAME", "fromlabel", "SERVICE_80_ID", "port-id"),
                    Map.of("SERVICE_NAME", "fromenv", "SERVICE_ID", "env-id"), new int[] {80});
            expected.put("/services/fromlabel/port-id", IP + ":" + wc.hostPort(80));
            // JSON injection through tags and attributes
            String injected = Workloads.uniqueName("inject");
            String tag = "a\",\"Injected\":\"yes";
            String attr = "x\"}\n{\"y\":\"z\\";
            Workload wi = workloads.start(injected, Map.of("SERVICE_TAGS", tag, "SERVICE_NOTE", attr), 80);
            expected.put("/services/" + SVC + "/" + HOST + ":" + injected + ":80", IP + ":" + wi.hostPort(80));

            assertExactly("/services/", expected);
            // the refused ones have been handled too: each said why
            eventually(() -> {
                for (String name : refused) {
                    assertTrue(log.count("skipped container=" + name) > 0, name + ": " + log.lines());
                }
            });
            // a full pass that started after all that neither changes nor rewrites a key, nor warns again
            Map<String, Long> revisions = modRevisions("/services/");
            reconcileNow();
            assertEquals(expected, Etcd.get("/services/"));
            assertEquals(revisions, modRevisions("/services/"));

            JsonNode json = new ObjectMapper().readTree(Etcd.get("/services-json/")
                    .get("/services-json/" + SVC + "/" + HOST + ":" + injected + ":80"));
            // tags split at commas, as gliderlabs does; each stays one JSON string
            assertEquals(List.of("a\"", "\"Injected\":\"yes"),
                    List.of(new ObjectMapper().convertValue(json.get("Tags"), String[].class)));
            assertEquals(attr, json.get("Attrs").get("note").asText());
            assertTrue(json.get("Injected") == null);

            for (String name : refused) {
                assertEquals(1, log.count("skipped container=" + name), name + ": " + log.lines());
            }
            assertEquals(refused.size(), log.count("skipped container="), log.lines().toString());
            assertEquals(Set.of(), keysOutsidePrefixes());
            assertTrue(context.isStarted());
        }
    }
}
