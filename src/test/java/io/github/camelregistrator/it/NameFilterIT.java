package io.github.camelregistrator.it;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** registrator.names as Havok's -names: found anywhere in the name, so ^ anchors it. */
class NameFilterIT extends RegistratorTestSupport {

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator", "registrator.names", "^web", "registrator.resync", "3600"};
    }

    @Test
    void anAnchoredPatternRegistersWeb1AndNotXweb1() throws Exception {
        // unique names: other tests may run containers on this engine at the same time
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Workload xweb = workloads.start(Workloads.busybox("xweb-1-" + suffix).withExposedPorts(80));
        Workload web = workloads.start(Workloads.busybox("web-1-" + suffix).withExposedPorts(80));
        String webKey = serviceKey(web.name());
        eventually(() -> assertEquals("10.0.0.5:" + web.hostPort(80), Etcd.get(webKey).get(webKey)));
        // a full pass that started after both: xweb-1 had every chance
        reconcileNow();
        assertFalse(Etcd.get("/services/").containsKey(serviceKey(xweb.name())), Etcd.get("/services/").toString());
        JsonNode why = new ObjectMapper().readTree(httpGet("/observe/registrations/" + xweb.name()).body());
        assertEquals("skipped", why.path("state").asText(), why.toPrettyString());
        assertTrue(why.path("reason").asText().contains("does not match registrator.names=^web"), why.toPrettyString());
    }
}
