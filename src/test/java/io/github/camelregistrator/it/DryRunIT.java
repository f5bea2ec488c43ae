package io.github.camelregistrator.it;

import java.util.Map;

import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dry-run computes and logs everything and writes nothing, not even its lease record. */
class DryRunIT extends RegistratorTestSupport {

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.dry-run", "true"};
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
