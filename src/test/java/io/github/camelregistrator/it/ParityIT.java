package io.github.camelregistrator.it;

import java.util.Map;

import com.github.dockerjava.api.exception.NotFoundException;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gliderlabs/registrator parity: deregister=on-success, use-ip-from-label, forced tags. */
class ParityIT extends RegistratorTestSupport {

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator,registrator-json", "registrator.deregister", "on-success",
                "registrator.use-ip-from-label", "registrator.ip", "registrator.tags", "prod,eu"};
    }

    /** Serves until it is told to exit with the given code. */
    private Workload exiting(String name) {
        return workloads.start(Workloads.busybox(name).withExposedPorts(80)
                .withCommand("sh", "-c", "httpd -p 80; while [ ! -f /exit ]; do sleep 0.1; done; exit $(cat /exit)"));
    }

    @Test
    void aFailedContainerKeepsItsEntriesUntilRemovedAndASuccessfulOneGoes() throws Exception {
        Workload failing = exiting(Workloads.uniqueName("fails"));
        Workload succeeding = exiting(Workloads.uniqueName("succeeds"));
        String failKey = serviceKey(failing.name());
        String okKey = serviceKey(succeeding.name());
        String failValue = IP + ":" + failing.hostPort(80);
        assertExactly("/services/", Map.of(failKey, failValue, okKey, IP + ":" + succeeding.hostPort(80)));

        try (LogCapture log = new LogCapture()) {
            failing.container().execInContainer("sh", "-c", "echo 3 > /exit");
            succeeding.container().execInContainer("sh", "-c", "echo 0 > /exit");
            assertExactly("/services/", Map.of(failKey, failValue));
            // the die of the failed one has been handled, and its entries kept
            eventually(() -> assertTrue(log.count("kept container=" + failing.name() + " exit-code=3") > 0, log.lines().toString()));
        }
        long revision = Etcd.kv(failKey).getModRevision();
        // nor does a full pass that started after the die remove or rewrite them
        reconcileNow();
        assertEquals(Map.of(failKey, failValue), Etcd.get("/services/"));
        assertEquals(revision, Etcd.kv(failKey).getModRevision());

        try {
            DockerClientFactory.instance().client().removeContainerCmd(failing.id()).withForce(true).exec();
        } catch (NotFoundException gone) {
            // removed already
        }
        assertExactly("/services/", Map.of());
    }

    @Test
    void ipFromLabelAndForcedTags() {
        String name = Workloads.uniqueName("labelled");
        Workload w = workloads.start(name, Map.of("registrator.ip", "192.0.2.10", "SERVICE_TAGS", "web"), 80);
        String id = HOST + ":" + name + ":80";
        assertExactly("/services/", Map.of("/services/" + Workloads.SERVICE_NAME + "/" + id, "192.0.2.10:" + w.hostPort(80)));
        assertExactly("/services-json/", Map.of("/services-json/" + Workloads.SERVICE_NAME + "/" + id,
                "{\"ID\":\"" + id + "\",\"Name\":\"" + Workloads.SERVICE_NAME + "\",\"Address\":\"192.0.2.10\",\"Port\":"
                        + w.hostPort(80) + ",\"Tags\":[\"web\",\"prod\",\"eu\"],\"Attrs\":{}}"));
    }
}
