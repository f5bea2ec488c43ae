package io.github.camelregistrator.it;

import java.util.Map;

import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Kontena's merge rules, between containers of one host. */
class MergeIT extends RegistratorTestSupport {

    @Override
    protected String[] overrides() {
        // one sync worker: events are handled in order, which awaitEarlierEventsHandled relies on
        return new String[] {"registrator.layouts", "registrator", "registrator.workers", "1"};
    }

    /** Host networking: the exposed port is the host's, so two such containers give one value. */
    private Workload hostNetworked(String name) {
        return workloads.start(Workloads.busybox(name)
                .withCommand("sleep", "600")
                .withNetworkMode("host")
                .withLabels(Map.of("SERVICE_NAME", "shared", "SERVICE_ID", "shared-1"))
                .withCreateContainerCmdModifier(cmd -> cmd.withExposedPorts(
                        com.github.dockerjava.api.model.ExposedPort.tcp(7000))));
    }

    @Test
    void oneKeyWithOneValueStaysWhileEitherContainerRuns() {
        Workload a = hostNetworked(Workloads.uniqueName("blue"));
        Workload b = hostNetworked(Workloads.uniqueName("green"));
        assertExactly("/services/", Map.of("/services/shared/shared-1", IP + ":7000"));
        Map<String, Long> revisions = modRevisions("/services/");
        workloads.remove(a);
        // once a's die and destroy have been handled, the key is still there, never rewritten
        awaitEarlierEventsHandled();
        assertEquals(Map.of("/services/shared/shared-1", IP + ":7000"), Etcd.get("/services/"));
        assertEquals(revisions, modRevisions("/services/"));
        workloads.remove(b);
        assertExactly("/services/", Map.of());
    }

    @Test
    void conflictingValuesSettleOnTheSmallest() {
        Map<String, String> labels = Map.of("SERVICE_NAME", "clash", "SERVICE_ID", "clash-1");
        Workload a = workloads.start(Workloads.uniqueName("one"), labels, 80);
        Workload b = workloads.start(Workloads.uniqueName("two"), labels, 80);
        String va = IP + ":" + a.hostPort(80);
        String vb = IP + ":" + b.hostPort(80);
        String smallest = va.compareTo(vb) < 0 ? va : vb;
        assertExactly("/services/", Map.of("/services/clash/clash-1", smallest));
        workloads.remove(smallest.equals(va) ? a : b);
        assertExactly("/services/", Map.of("/services/clash/clash-1", smallest.equals(va) ? vb : va));
    }
}
