package io.github.camelregistrator.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An event storm: 200 containers started and removed concurrently, a quarter of them exiting
 * on their own at once. etcd ends exact both times.
 */
class StormIT extends RegistratorTestSupport {
    private static final String LABEL = "camel-registrator-storm";
    private final DockerClient docker = DockerClientFactory.instance().client();

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator"};
    }

    @AfterEach
    void removeAll() {
        for (var c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, "1")).exec()) {
            docker.removeContainerCmd(c.getId()).withForce(true).exec();
        }
    }

    @Test
    void twoHundredContainersAtOnceLeaveEtcdExact() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String[]>> started = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String name = Workloads.uniqueName("storm" + i);
            // every fourth serves for a moment, then exits: it must not stay registered
            String cmd = i % 4 == 0 ? "httpd -p 80; sleep 2; exit 0" : "httpd -f -p 80";
            started.add(pool.submit(() -> {
                String id = docker.createContainerCmd(Workloads.IMAGE).withName(name).withCmd("sh", "-c", cmd)
                        .withExposedPorts(ExposedPort.tcp(80)).withLabels(Map.of(LABEL, "1"))
                        .withHostConfig(HostConfig.newHostConfig()
                                .withPortBindings(new PortBinding(Ports.Binding.empty(), ExposedPort.tcp(80))))
                        .exec().getId();
                docker.startContainerCmd(id).exec();
                return new String[] {id, name};
            }));
        }
        List<String[]> containers = new ArrayList<>();
        for (Future<String[]> f : started) {
            containers.add(f.get());
        }
        Eventually.within(Duration.ofSeconds(60), () -> assertEquals(expected(containers), Etcd.get("/services/")));

        List<Future<?>> removed = new ArrayList<>();
        for (String[] c : containers) {
            removed.add(pool.submit(() -> docker.removeContainerCmd(c[0]).withForce(true).exec()));
        }
        for (Future<?> f : removed) {
            f.get();
        }
        pool.shutdown();
        Eventually.within(Duration.ofSeconds(30), () -> assertEquals(Map.of(), Etcd.get("/services/")));
    }

    /** The keys of the containers running now, as Docker reports them. */
    private Map<String, String> expected(List<String[]> containers) {
        Map<String, String> out = new TreeMap<>();
        for (String[] c : containers) {
            var state = docker.inspectContainerCmd(c[0]).exec();
            if (Boolean.TRUE.equals(state.getState().getRunning())) {
                String port = state.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(80))[0].getHostPortSpec();
                out.put(serviceKey(c[1]), IP + ":" + port);
            }
        }
        return out;
    }
}
