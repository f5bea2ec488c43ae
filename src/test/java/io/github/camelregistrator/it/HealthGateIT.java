package io.github.camelregistrator.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.model.HealthCheck;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Health-gated registration: a container with a health check is registered only while healthy. */
class HealthGateIT extends RegistratorTestSupport {

    @Override
    protected String[] overrides() {
        // one sync worker: events are handled in order, which awaitEarlierEventsHandled relies on
        return new String[] {"registrator.layouts", "registrator", "registrator.require-healthy", "true",
                "registrator.workers", "1"};
    }

    private Workload withHealthCheck(String name, Map<String, String> labels) {
        long interval = Duration.ofMillis(300).toNanos();
        return workloads.start(Workloads.busybox(name).withExposedPorts(80).withLabels(labels)
                .withCreateContainerCmdModifier(cmd -> cmd.withHealthcheck(new HealthCheck()
                        .withTest(List.of("CMD-SHELL", "test -f /ok")).withInterval(interval).withTimeout(interval * 3)
                        .withRetries(1).withStartPeriod(0L))));
    }

    /** Docker's health status of the container: starting, healthy or unhealthy. */
    private static String health(Workload w) {
        var health = DockerClientFactory.instance().client().inspectContainerCmd(w.id()).exec().getState().getHealth();
        return health == null ? null : health.getStatus();
    }

    @Test
    void registeredOnHealthyRemovedOnUnhealthy() throws Exception {
        String name = Workloads.uniqueName("gated");
        Workload w = withHealthCheck(name, Map.of("SERVICE_NAME", "gated"));
        Workload plain = workloads.start(Workloads.uniqueName("plain"), Map.of("SERVICE_NAME", "plain"), 80);
        String key = "/services/gated/" + HOST + ":" + name + ":80";
        String plainKey = "/services/plain/" + HOST + ":" + plain.name() + ":80";
        // no health check: registered at once; health check not yet passed: not registered
        assertExactly("/services/", Map.of(plainKey, IP + ":" + plain.hostPort(80)));
        // the check has failed (Docker sent health_status: unhealthy), and that event has been handled
        eventually(() -> assertEquals("unhealthy", health(w)));
        awaitEarlierEventsHandled();
        assertEquals(Map.of(plainKey, IP + ":" + plain.hostPort(80)), Etcd.get("/services/"));

        w.container().execInContainer("touch", "/ok");
        assertExactly("/services/", Map.of(plainKey, IP + ":" + plain.hostPort(80), key, IP + ":" + w.hostPort(80)));

        w.container().execInContainer("rm", "/ok");
        assertExactly("/services/", Map.of(plainKey, IP + ":" + plain.hostPort(80)));
    }

    @Test
    void aContainerLabelOptsOut() {
        String name = Workloads.uniqueName("optout");
        Workload w = withHealthCheck(name, Map.of("SERVICE_NAME", "optout", "registrator.require-healthy", "false"));
        assertExactly("/services/", Map.of("/services/optout/" + HOST + ":" + name + ":80", IP + ":" + w.hostPort(80)));
        assertEquals(1, Etcd.get("/services/").size());
    }
}
