package io.github.camelregistrator.it;

import java.util.Map;

import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dry-run computes and logs everything and writes nothing, not even its lease record. */
class DryRunIT extends RegistratorTestSupport {

    // no initializers: set before the registrator starts, from the superclass's set-up
    private LogCapture log;
    private Workload early;

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.dry-run", "true"};
    }

    @Override
    protected void beforeRegistratorStarts() {
        log = new LogCapture();
        if (getCurrentTestName().startsWith("printsThePlan")) {
            early = workloads.start(Workloads.uniqueName("planned"), Map.of("SERVICE_TAGS", "t1"), 80);
        }
    }

    @Override
    protected void doPostTearDown() throws Exception {
        if (log != null) {
            log.close();
        }
    }

    /** After the first full pass, the plan of this host once, as a table; later passes print nothing more. */
    @Test
    void printsThePlanOnceAsATable() {
        String key = "/services/" + Workloads.SERVICE_NAME + "/" + HOST + ":" + early.name() + ":80";
        String value = IP + ":" + early.hostPort(80);
        eventually(() -> assertEquals(1, plans().size(), log.lines().toString()));
        String plan = plans().get(0);
        System.out.println(plan);
        assertTrue(plan.matches("(?s).*\\nCONTAINER +LAYOUT +KEY +VALUE\\n.*"), plan);
        assertTrue(plan.matches("(?s).*\\n" + java.util.regex.Pattern.quote(early.name()) + " +registrator +"
                + java.util.regex.Pattern.quote(key) + " +" + java.util.regex.Pattern.quote(value) + "\\n.*"), plan);
        assertTrue(plan.matches("(?s).*\\n" + java.util.regex.Pattern.quote(early.name()) + " +docker-etcd-register +/registered/.*"), plan);
        reconcileNow();
        assertEquals(1, plans().size());
        assertEquals(Map.of(), Etcd.get("/"));
    }

    private java.util.List<String> plans() {
        return log.lines().stream().filter(l -> l.startsWith("dry-run plan")).toList();
    }

    @Test
    void writesNothing() throws Exception {
        Workload w = workloads.start(Workloads.uniqueName("dry"), Map.of(), 80);
        String key = "/services/" + Workloads.SERVICE_NAME + "/" + HOST + ":"
                + w.name() + ":80";
        eventually(() -> assertTrue(registry().ownedKeys().contains(key), registry().ownedKeys().toString()));
        template.sendBody("direct:reconcile", null);
        assertEquals(Map.of(), Etcd.get("/"));
        workloads.remove(w);
        eventually(() -> assertTrue(registry().ownedKeys().isEmpty()));
        assertEquals(Map.of(), Etcd.get("/"));
    }
}
