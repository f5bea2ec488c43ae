package io.github.camelregistrator.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;

/** Busybox workload containers, started by Testcontainers and removed after each test. */
public final class Workloads implements AutoCloseable {
    public static final String IMAGE = System.getenv().getOrDefault("IT_BUSYBOX_IMAGE", "busybox:1.36");
    /** The default service name of either image: its base name without registry, path or tag. */
    public static final String SERVICE_NAME = "busybox";
    private final List<GenericContainer<?>> started = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A running workload and the host ports Docker published for it. */
    public record Workload(GenericContainer<?> container, String name) {
        public int hostPort(int privatePort) {
            return container.getMappedPort(privatePort);
        }

        public int udpHostPort(int privatePort) {
            Ports.Binding[] b = container.getContainerInfo().getNetworkSettings().getPorts().getBindings()
                    .get(ExposedPort.udp(privatePort));
            return Integer.parseInt(b[0].getHostPortSpec());
        }

        public String id() {
            return container.getContainerId();
        }
    }

    public static String uniqueName(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A busybox container serving HTTP on port 80, named, not yet started. */
    public static GenericContainer<?> busybox(String name) {
        return new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withCommand("httpd", "-f", "-p", "80")
                .waitingFor(new AbstractWaitStrategy() {
                    @Override
                    protected void waitUntilReady() {
                        // the registrator reacts to the start event; nothing to wait for
                    }
                })
                .withCreateContainerCmdModifier(cmd -> cmd.withName(name));
    }

    public Workload start(GenericContainer<?> c) {
        c.start();
        started.add(c);
        return new Workload(c, c.getContainerInfo().getName().substring(1));
    }

    public Workload start(String name, Map<String, String> labels, Map<String, String> env, int[] tcp, int... udp) {
        GenericContainer<?> c = busybox(name)
                .withLabels(labels)
                .withEnv(env)
                .withExposedPorts(java.util.Arrays.stream(tcp).boxed().toArray(Integer[]::new))
                .withCreateContainerCmdModifier(cmd -> {
                    if (udp.length > 0) {
                        List<ExposedPort> exposed = new ArrayList<>(List.of(cmd.getExposedPorts()));
                        HostConfig hc = cmd.getHostConfig();
                        Ports ports = hc.getPortBindings() == null ? new Ports() : hc.getPortBindings();
                        for (int p : udp) {
                            exposed.add(ExposedPort.udp(p));
                            ports.add(new PortBinding(Ports.Binding.empty(), ExposedPort.udp(p)));
                        }
                        cmd.withExposedPorts(exposed);
                        hc.withPortBindings(ports);
                    }
                });
        return start(c);
    }

    public Workload start(String name, Map<String, String> labels, int... tcp) {
        return start(name, labels, Map.of(), tcp);
    }

    /** Stops and removes the container, as docker rm -f does. */
    public void remove(Workload w) {
        w.container().stop();
        started.remove(w.container());
    }

    /** Stops the container without removing it: it exits with code 137. */
    public void kill(Workload w) {
        DockerClientFactory.instance().client().killContainerCmd(w.id()).exec();
    }

    @Override
    public void close() {
        for (GenericContainer<?> c : new ArrayList<>(started)) {
            c.stop();
        }
        started.clear();
    }
}
