package io.github.camelregistrator.it;

import java.util.Map;

import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

/** Explicit mode: only containers that set SERVICE_NAME. */
class ExplicitModeIT extends RegistratorTestSupport {
    @Override
    protected String[] overrides() {
        return new String[] {"registrator.explicit", "true", "registrator.layouts", "registrator"};
    }

    @Test
    void onlyContainersWithServiceNameAreRegistered() {
        workloads.start(Workloads.uniqueName("anon"), Map.of(), 80);
        Workload named = workloads.start(Workloads.uniqueName("named"), Map.of("SERVICE_NAME", "wanted"), 80);
        assertExactly("/services/", Map.of("/services/wanted/" + HOST + ":" + named.name() + ":80",
                IP + ":" + named.hostPort(80)));
    }
}
