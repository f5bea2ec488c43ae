package io.github.camelregistrator.it;

import java.util.Map;

import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Network;

/** Internal mode: the container's own address and exposed port, on its own network. */
class InternalModeIT extends RegistratorTestSupport {
    @Override
    protected String[] overrides() {
        return new String[] {"registrator.internal", "true", "registrator.layouts", "registrator"};
    }

    @Test
    void registersTheContainerAddressOnItsOwnNetworkWithoutPublishedPorts() {
        try (Network net = Network.newNetwork()) {
            String name = Workloads.uniqueName("inner");
            Workload w = workloads.start(Workloads.busybox(name).withNetwork(net)
                    .withCreateContainerCmdModifier(cmd -> cmd.withExposedPorts(
                            com.github.dockerjava.api.model.ExposedPort.tcp(80))));
            String ip = w.container().getContainerInfo().getNetworkSettings().getNetworks().values().iterator()
                    .next().getIpAddress();
            assertExactly("/services/", Map.of("/services/" + Workloads.IMAGE.replaceAll(".*/", "")
                    .replaceAll("[:@].*", "") + "/" + HOST + ":" + name + ":80", ip + ":80"));
            workloads.close();
        }
    }
}
