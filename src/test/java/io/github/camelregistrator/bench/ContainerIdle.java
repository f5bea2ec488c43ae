package io.github.camelregistrator.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Statistics;
import io.github.camelregistrator.it.Etcd;
import io.github.camelregistrator.it.ProjectImage;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The image as an operator runs it, idle, with its own HEALTHCHECK every 30 s: the container's
 * whole CPU (its cgroup's, so every health check process counts) over a span of minutes.
 */
final class ContainerIdle {
    private ContainerIdle() {
    }

    /** @return the percent of one core */
    static double measure(DockerClient docker, long seconds) throws Exception {
        String image = ProjectImage.build("camel-registrator-bench", Registrator.JAR);
        try (GenericContainer<?> c = new GenericContainer<>(image)
                .withNetworkMode("host")
                .withFileSystemBind("/var/run/docker.sock", "/var/run/docker.sock", BindMode.READ_ONLY)
                .withEnv(Map.of("REGISTRATOR_ETCD_ENDPOINTS", Etcd.endpoint(), "REGISTRATOR_HOST_ID", "idle-host",
                        "REGISTRATOR_ADVERTISE_IP", "10.0.0.9", "REGISTRATOR_HTTP_PORT", String.valueOf(Etcd.freePort()),
                        "REGISTRATOR_PREFIX", "/idle"))
                .waitingFor(Wait.forLogMessage(".*lease granted.*", 1).withStartupTimeout(Duration.ofSeconds(60)))) {
            c.start();
            // past the start-up pass and the health check's start period
            Thread.sleep(35_000);
            long cpu0 = cpuNanos(docker, c.getContainerId());
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000);
            long cpu = cpuNanos(docker, c.getContainerId()) - cpu0;
            double span = System.nanoTime() - t0;
            var health = docker.inspectContainerCmd(c.getContainerId()).exec().getState().getHealth();
            System.out.printf("container idle: %d s, health %s, failing streak %d%n", seconds, health.getStatus(),
                    health.getFailingStreak());
            return cpu * 100.0 / span;
        }
    }

    private static long cpuNanos(DockerClient docker, String id) throws Exception {
        Statistics[] got = new Statistics[1];
        try (ResultCallback.Adapter<Statistics> cb = docker.statsCmd(id).withNoStream(true).exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Statistics s) {
                got[0] = s;
            }
        })) {
            cb.awaitCompletion(30, TimeUnit.SECONDS);
        }
        return got[0].getCpuStats().getCpuUsage().getTotalUsage();
    }
}
