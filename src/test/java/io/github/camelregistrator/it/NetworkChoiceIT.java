package io.github.camelregistrator.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Internal mode on two user networks: SERVICE_NETWORK, else registrator.network, picks the address;
 * a network the container is not on skips it, with the reason.
 */
class NetworkChoiceIT extends RegistratorTestSupport {
    private static final String NAME = Workloads.IMAGE.replaceAll(".*/", "").replaceAll("[:@].*", "");
    // only this test's containers: others may run on this engine at the same time
    private static final String PREFIX = "netchoice-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.internal", "true", "registrator.layouts", "registrator",
            "registrator.names", "^" + PREFIX, "registrator.resync", "3600"};
    }

    private static String networkName(Network net) {
        return DockerClientFactory.instance().client().inspectNetworkCmd().withNetworkId(net.getId()).exec().getName();
    }

    private static String ipOn(String containerId, String networkName) {
        var n = DockerClientFactory.instance().client().inspectContainerCmd(containerId).exec()
                .getNetworkSettings().getNetworks().get(networkName);
        return n == null ? null : n.getIpAddress();
    }

    private Workload startOnBoth(String name, Network first, Network second, Map<String, String> labels) {
        Workload w = workloads.start(Workloads.busybox(name).withNetwork(first).withLabels(labels)
                .withCreateContainerCmdModifier(cmd -> cmd.withExposedPorts(ExposedPort.tcp(80))));
        DockerClient docker = DockerClientFactory.instance().client();
        docker.connectToNetworkCmd().withNetworkId(second.getId()).withContainerId(w.id()).exec();
        return w;
    }

    private JsonNode explain(String name) throws Exception {
        return new ObjectMapper().readTree(httpGet("/observe/registrations/" + name).body());
    }

    @Test
    void theLabelOrTheOptionChoosesTheAddressAndAMissingNetworkIsASkipReason() throws Exception {
        try (Network a = Network.newNetwork(); Network b = Network.newNetwork()) {
            String second = networkName(b);
            Workload chosen = startOnBoth(PREFIX + "-chosen", a, b, Map.of("SERVICE_NETWORK", second));
            Workload plain = startOnBoth(PREFIX + "-plain", a, b, Map.of());
            Workload missing = startOnBoth(PREFIX + "-missing", a, b, Map.of("SERVICE_NETWORK", "no-such-network-" + PREFIX));
            Workload lonely = workloads.start(Workloads.busybox(PREFIX + "-lonely").withNetwork(a)
                    .withCreateContainerCmdModifier(cmd -> cmd.withExposedPorts(ExposedPort.tcp(80))));
            String chosenIp = ipOn(chosen.id(), second);
            assertNotEquals(chosenIp, ipOn(chosen.id(), networkName(a)));
            // the label's network; without it, the network it was started on (its network mode)
            assertExactly("/services/", Map.of(
                    "/services/" + NAME + "/" + HOST + ":" + chosen.name() + ":80", chosenIp + ":80",
                    "/services/" + NAME + "/" + HOST + ":" + plain.name() + ":80", ipOn(plain.id(), networkName(a)) + ":80",
                    "/services/" + NAME + "/" + HOST + ":" + lonely.name() + ":80", ipOn(lonely.id(), networkName(a)) + ":80"));

            JsonNode service = explain(chosen.name()).path("services").get(0);
            assertEquals(second + " (SERVICE_NETWORK)", service.path("network").asText(), service.toPrettyString());
            assertTrue(explain(plain.name()).path("services").get(0).path("network").asText().endsWith("(its network mode)"));
            JsonNode skipped = explain(missing.name());
            assertEquals("skipped", skipped.path("state").asText(), skipped.toPrettyString());
            String reason = skipped.path("reason").asText();
            assertTrue(reason.startsWith("internal mode: not on the network SERVICE_NETWORK names (it is on: "), reason);
            assertTrue(reason.contains(second) && reason.contains(networkName(a)), reason);

            // registrator.network: the second network for every container without a label; one not on it is skipped
            int http = Etcd.freePort();
            try (JarRegistrator option = JarRegistrator.start(Files.createTempDirectory("registrator-network"),
                    "--etcd-endpoints=" + Etcd.endpoint(), "--host-id=opt-host", "--internal=true", "--layouts=registrator",
                    "--prefix=/opt", "--names=^" + PREFIX, "--network=" + second, "--resync=3600", "--http-port=" + http)) {
                Eventually.within(Duration.ofSeconds(30), () -> assertEquals(Map.of(
                        "/opt/" + NAME + "/opt-host:" + chosen.name() + ":80", chosenIp + ":80",
                        "/opt/" + NAME + "/opt-host:" + plain.name() + ":80", ipOn(plain.id(), second) + ":80"),
                        Etcd.get("/opt/")));
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + http + "/observe/registrations/" + lonely.name())).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode notOn = new ObjectMapper().readTree(r.body());
                assertEquals("internal mode: not on network " + second + " of registrator.network (it is on: "
                        + networkName(a) + ")", notOn.path("reason").asText(), r.body());
                JsonNode plainView = new ObjectMapper().readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + http + "/observe/registrations/" + plain.name())).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                assertEquals(second + " (registrator.network)", plainView.path("services").get(0).path("network").asText());
            }
            workloads.close();
        }
    }
}
