package io.github.camelregistrator.it;

import java.time.Duration;
import java.util.Map;

import com.github.dockerjava.api.model.HealthCheck;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The project's Dockerfile, built and run as an operator would: Docker's socket mounted
 * read-only, host networking, options from REGISTRATOR_* variables, and its HEALTHCHECK.
 */
class ImageIT {
    private final Workloads workloads = new Workloads();
    private GenericContainer<?> registrator;

    @AfterEach
    void stop() {
        if (registrator != null) {
            registrator.stop();
        }
        workloads.close();
    }

    @Test
    void theImageRegistersAContainerAndReportsHealthy() throws Exception {
        Etcd.clear();
        String image = ProjectImage.build("camel-registrator-it", JarRegistrator.JAR);
        // the image's own health check command, run every second instead of every 30
        HealthCheck imageCheck = DockerClientFactory.instance().client().inspectImageCmd(image).exec()
                .getConfig().getHealthcheck();
        int port = Etcd.freePort();
        registrator = new GenericContainer<>(image)
                .withNetworkMode("host")
                .withFileSystemBind("/var/run/docker.sock", "/var/run/docker.sock", BindMode.READ_ONLY)
                .withEnv(Map.of("REGISTRATOR_ETCD_ENDPOINTS", Etcd.endpoint(), "REGISTRATOR_HOST_ID", "image-host",
                        "REGISTRATOR_ADVERTISE_IP", "10.0.0.8", "REGISTRATOR_HTTP_PORT", String.valueOf(port),
                        "REGISTRATOR_PREFIX", "/image"))
                .withCreateContainerCmdModifier(cmd -> cmd.withHealthcheck(new HealthCheck().withTest(imageCheck.getTest())
                        .withInterval(Duration.ofSeconds(1).toNanos()).withTimeout(Duration.ofSeconds(10).toNanos())
                        .withRetries(30)))
                .waitingFor(Wait.forLogMessage(".*lease granted.*", 1).withStartupTimeout(Duration.ofSeconds(60)));
        registrator.start();

        Workload w = workloads.start(Workloads.uniqueName("imaged"), Map.of(), 80);
        Eventually.within(Duration.ofSeconds(15), () -> assertEquals(
                Map.of("/image/" + Workloads.SERVICE_NAME + "/image-host:" + w.name() + ":80", "10.0.0.8:" + w.hostPort(80)),
                Etcd.get("/image/")));
        Eventually.within(Duration.ofSeconds(30), () -> assertEquals("healthy", DockerClientFactory.instance().client()
                .inspectContainerCmd(registrator.getContainerId()).exec().getState().getHealth().getStatus()));
        workloads.remove(w);
        Eventually.within(Duration.ofSeconds(15), () -> assertEquals(Map.of(), Etcd.get("/image/")));

        // docker stop is a clean stop: exit code 0, as the Dockerfile says
        var docker = DockerClientFactory.instance().client();
        docker.stopContainerCmd(registrator.getContainerId()).withTimeout(20).exec();
        assertEquals(0L, docker.inspectContainerCmd(registrator.getContainerId()).exec().getState().getExitCodeLong());
    }
}
