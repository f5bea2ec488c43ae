package io.github.camelregistrator.it;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.ExposedPorts;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.github.camelregistrator.config.Settings;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gliderlabs/registrator parity: deregister=on-success, use-ip-from-label (also in CIDR form),
 * forced tags, a port bound to one host address, and internal mode with a shared network. As
 * with gliderlabs run without -ip, no advertise IP is given.
 */
class ParityIT extends RegistratorTestSupport {

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator,registrator-json", "registrator.deregister", "on-success",
                "registrator.use-ip-from-label", "registrator.ip", "registrator.tags", "prod,eu"};
    }

    @Override
    protected Properties options() {
        Properties p = super.options();
        p.remove("registrator.advertise-ip");
        return p;
    }

    /** The address advertised when none is given: the default-route interface's, as the registrator finds it. */
    private String advertised() {
        return Settings.from(n -> context.getPropertiesComponent().resolveProperty(n).orElse(null)).advertiseIp();
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
        String failValue = advertised() + ":" + failing.hostPort(80);
        assertExactly("/services/", Map.of(failKey, failValue, okKey, advertised() + ":" + succeeding.hostPort(80)));

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

    @Test
    void anIpLabelInCidrFormRegistersItsAddressPart() {
        String name = Workloads.uniqueName("cidr");
        Workload w = workloads.start(name, Map.of("registrator.ip", "198.51.100.5/24"), 80);
        assertExactly("/services/", Map.of("/services/" + Workloads.SERVICE_NAME + "/" + HOST + ":" + name + ":80",
                "198.51.100.5:" + w.hostPort(80)));
    }

    @Test
    void aPortBoundToOneHostAddressAdvertisesThatAddress() {
        String name = Workloads.uniqueName("bound");
        // -p 127.0.0.2::80 -p 8080: one port on a loopback address, one on every address
        Workload w = workloads.start(Workloads.busybox(name).withExposedPorts(8080).withCreateContainerCmdModifier(cmd -> {
            cmd.withExposedPorts(ExposedPort.tcp(80), ExposedPort.tcp(8080));
            cmd.getHostConfig().withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.2"), ExposedPort.tcp(80)),
                    new PortBinding(Ports.Binding.empty(), ExposedPort.tcp(8080)));
        }));
        var bindings = w.container().getContainerInfo().getNetworkSettings().getPorts().getBindings();
        String bound = bindings.get(ExposedPort.tcp(80))[0].getHostPortSpec();
        String prefix = "/services/" + Workloads.SERVICE_NAME;
        assertExactly("/services/", Map.of(prefix + "-80/" + HOST + ":" + name + ":80", "127.0.0.2:" + bound,
                prefix + "-8080/" + HOST + ":" + name + ":8080", advertised() + ":" + w.hostPort(8080)));
    }

    /**
     * Containers of a pod share one network ({@code --net container:<pod>}): in internal mode
     * each registers the pod's address. An image that exposes the port is needed, since Docker
     * refuses --expose with a shared network. Run by a second registrator in internal mode, the
     * built jar. When the pod moves to another network, the sidecar's key follows.
     */
    @Test
    void internalModeWithASharedNetworkRegistersTheAddressOfItsOwner() throws Exception {
        DockerClient docker = DockerClientFactory.instance().client();
        String image = "camel-registrator-test/busybox-exposed:parity";
        String base = docker.createContainerCmd(Workloads.IMAGE).withCmd("true").exec().getId();
        try {
            docker.commitCmd(base).withRepository("camel-registrator-test/busybox-exposed").withTag("parity")
                    .withExposedPorts(new ExposedPorts(ExposedPort.tcp(8080))).exec();
        } finally {
            docker.removeContainerCmd(base).withForce(true).exec();
        }
        Workload pod = workloads.start(Workloads.busybox(Workloads.uniqueName("pod")));
        String sidecarName = Workloads.uniqueName("sidecar");
        var sidecar = Workloads.busybox(sidecarName).withCommand("httpd", "-f", "-p", "8080")
                .withNetworkMode("container:" + pod.id());
        sidecar.setDockerImageName(image);
        workloads.start(sidecar);
        String podIp = docker.inspectContainerCmd(pod.id()).exec().getNetworkSettings().getIpAddress();
        try (JarRegistrator internal = JarRegistrator.start(Files.createTempDirectory("registrator-internal"),
                "--etcd-endpoints=" + Etcd.endpoint(), "--host-id=pod-host", "--internal=true",
                "--layouts=registrator", "--prefix=/internal", "--names=" + sidecarName, "--resync=3600")) {
            String key = "/internal/busybox-exposed/pod-host:" + sidecarName + ":8080";
            Eventually.within(Duration.ofSeconds(30), () -> assertEquals(Map.of(key, podIp + ":8080"), Etcd.get("/internal/")));

            // the pod moves to another network: the pod's events sync the sidecar too (no full pass runs within the hour)
            try (Network elsewhere = Network.newNetwork()) {
                docker.connectToNetworkCmd().withNetworkId(elsewhere.getId()).withContainerId(pod.id()).exec();
                String movedIp = docker.inspectContainerCmd(pod.id()).exec().getNetworkSettings().getNetworks().entrySet()
                        .stream().filter(e -> !e.getKey().equals("bridge")).findFirst().orElseThrow().getValue().getIpAddress();
                docker.disconnectFromNetworkCmd().withNetworkId("bridge").withContainerId(pod.id()).exec();
                long ms = Eventually.millisUntil(Duration.ofSeconds(10),
                        () -> Map.of(key, movedIp + ":8080").equals(Etcd.get("/internal/")));
                System.out.println("ParityIT: the sidecar followed its pod's network move in " + ms + " ms");
                assertEquals(Map.of(key, movedIp + ":8080"), Etcd.get("/internal/"));
                workloads.close();
            }
        } finally {
            workloads.close();
            docker.removeImageCmd(image).withForce(true).exec();
        }
    }
}
