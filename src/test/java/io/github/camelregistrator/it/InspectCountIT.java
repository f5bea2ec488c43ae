package io.github.camelregistrator.it;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A container's life costs one inspect: its start. kill, die, stop, destroy, a network connect
 * before start and the disconnect after death inspect nothing (registrator_docker_inspects_total).
 * The count is the process's, so a window in which another container of the shared engine did
 * something is measured again.
 */
class InspectCountIT extends RegistratorTestSupport {
    private static final int TRIES = 10;
    private final DockerClient docker = DockerClientFactory.instance().client();
    private final Set<String> others = ConcurrentHashMap.newKeySet();
    private final Set<String> mine = ConcurrentHashMap.newKeySet();
    private ResultCallback.Adapter<Event> watch;
    private String network;

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator", "registrator.resync", "3600"};
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String id : mine) {
            try {
                docker.removeContainerCmd(id).withForce(true).exec();
            } catch (Exception gone) {
                // removed by the test
            }
        }
        if (network != null) {
            docker.removeNetworkCmd(network).exec();
        }
        if (watch != null) {
            watch.close();
        }
    }

    @Test
    void runThenRemoveForcedCostsOneInspect() throws Exception {
        assertOneInspectPerLife(this::runThenRemoveForced);
    }

    @Test
    void connectBeforeStartThenStopAndRemoveCostsOneInspect() throws Exception {
        network = docker.createNetworkCmd().withName("inspects-" + UUID.randomUUID().toString().substring(0, 8)).exec().getId();
        assertOneInspectPerLife(this::connectStartStopRemove);
    }

    private interface Life {
        void live(String name) throws Exception;
    }

    private void assertOneInspectPerLife(Life life) throws Exception {
        // the start-up pass inspects every running container of the engine: measured after it
        eventually(() -> assertTrue(reconcilePasses() >= 1, "no full pass yet"));
        watchOthers();
        double last = -1;
        for (int attempt = 0; attempt < TRIES; attempt++) {
            String name = Workloads.uniqueName("inspects");
            double passes = reconcilePasses();
            double before = dockerInspects();
            others.clear();
            life.live(name);
            // the destroy and the disconnect come after the key's delete: give them time to arrive
            Thread.sleep(1000);
            last = dockerInspects() - before;
            // a create event may come before the test learnt its container's id
            others.removeAll(mine);
            // a full pass (the start-up passes may be two) inspects every running container
            if (others.isEmpty() && reconcilePasses() == passes) {
                assertEquals(1.0, last, "inspects of one container's life");
                return;
            }
        }
        fail("never a quiet window for one container's life (" + others.size() + " other containers busy, or a full pass"
                + " ran); last count " + last);
    }

    private void runThenRemoveForced(String name) {
        String id = create(name);
        docker.startContainerCmd(id).exec();
        String key = serviceKey(name);
        eventually(() -> assertTrue(Etcd.get(key).containsKey(key), key + " not registered"));
        docker.removeContainerCmd(id).withForce(true).exec();
        eventually(() -> assertEquals(Map.of(), Etcd.get(key)));
    }

    private void connectStartStopRemove(String name) {
        String id = create(name);
        docker.connectToNetworkCmd().withContainerId(id).withNetworkId(network).exec();
        docker.startContainerCmd(id).exec();
        String key = serviceKey(name);
        eventually(() -> assertTrue(Etcd.get(key).containsKey(key), key + " not registered"));
        docker.stopContainerCmd(id).withTimeout(1).exec();
        eventually(() -> assertEquals(Map.of(), Etcd.get(key)));
        docker.removeContainerCmd(id).exec();
    }

    private String create(String name) {
        String id = docker.createContainerCmd(Workloads.IMAGE).withName(name).withCmd("httpd", "-f", "-p", "80")
                .withExposedPorts(ExposedPort.tcp(80))
                .withHostConfig(HostConfig.newHostConfig()
                        .withPortBindings(new PortBinding(Ports.Binding.empty(), ExposedPort.tcp(80))))
                .exec().getId();
        mine.add(id);
        return id;
    }

    /** An event the registrator follows, of someone else's container, may cost it an inspect. */
    private void watchOthers() throws InterruptedException {
        watch = docker.eventsCmd().withEventFilter("start", "die", "destroy", "pause", "unpause", "rename",
                "health_status", "connect", "disconnect").exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Event e) {
                String id = e.getActor() == null ? e.getId()
                        : e.getActor().getAttributes() != null && e.getActor().getAttributes().containsKey("container")
                        ? e.getActor().getAttributes().get("container") : e.getId();
                if (id != null && !mine.contains(id) && (e.getType() == null || !"image".equals(e.getType().getValue()))) {
                    others.add(id);
                }
            }
        });
        watch.awaitStarted(10, TimeUnit.SECONDS);
    }
}
