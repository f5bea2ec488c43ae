package io.github.camelregistrator.it;

import java.time.Duration;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Internal mode: the container's own address and exposed port, on its own network. */
class InternalModeIT extends RegistratorTestSupport {
    private static final String NAME = Workloads.IMAGE.replaceAll(".*/", "").replaceAll("[:@].*", "");

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.internal", "true", "registrator.layouts", "registrator",
            "registrator.resync", "3600"};
    }

    private Workload startOn(Network net, String name) {
        return workloads.start(Workloads.busybox(name).withNetwork(net)
                .withCreateContainerCmdModifier(cmd -> cmd.withExposedPorts(ExposedPort.tcp(80))));
    }

    /** The container's address on the network of this name, as Docker reports it now. */
    private static String ipOn(String containerId, String networkName) {
        var n = DockerClientFactory.instance().client().inspectContainerCmd(containerId).exec()
                .getNetworkSettings().getNetworks().get(networkName);
        return n == null ? null : n.getIpAddress();
    }

    private static String networkName(Network net) {
        return DockerClientFactory.instance().client().inspectNetworkCmd().withNetworkId(net.getId()).exec().getName();
    }

    @Test
    void registersTheContainerAddressOnItsOwnNetworkWithoutPublishedPorts() {
        try (Network net = Network.newNetwork()) {
            String name = Workloads.uniqueName("inner");
            Workload w = startOn(net, name);
            String ip = ipOn(w.id(), networkName(net));
            assertExactly("/services/", Map.of("/services/" + NAME + "/" + HOST + ":" + name + ":80", ip + ":80"));
            workloads.close();
        }
    }

    @Test
    void theKeyFollowsAContainerMovedToAnotherNetwork() {
        DockerClient docker = DockerClientFactory.instance().client();
        try (Network first = Network.newNetwork(); Network second = Network.newNetwork()) {
            String name = Workloads.uniqueName("mover");
            Workload w = startOn(first, name);
            String key = "/services/" + NAME + "/" + HOST + ":" + name + ":80";
            assertExactly("/services/", Map.of(key, ipOn(w.id(), networkName(first)) + ":80"));

            docker.connectToNetworkCmd().withNetworkId(second.getId()).withContainerId(w.id()).exec();
            String expected = ipOn(w.id(), networkName(second)) + ":80";
            docker.disconnectFromNetworkCmd().withNetworkId(first.getId()).withContainerId(w.id()).exec();
            // timed from the disconnect's answer
            long ms = Eventually.millisUntil(Duration.ofSeconds(10), () -> expected.equals(Etcd.get(key).get(key)));
            System.out.println("InternalModeIT: the key followed the network move in " + ms + " ms");
            assertEquals(Map.of(key, expected), Etcd.get("/services/"));
            // the network events moved it: no full pass runs within the hour
            assertTrue(ms >= 0 && ms <= 1000, "followed after " + ms + " ms");
            workloads.close();
        }
    }
}
