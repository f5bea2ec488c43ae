package io.github.camelregistrator.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.command.InspectContainerResponse;
import org.testcontainers.DockerClientFactory;

/**
 * A single-node swarm on the test engine, through the docker CLI as an operator makes one
 * (its {@code --no-resolve-image} is what lets a service run a local image offline). Other
 * tests share the engine: enter as late and leave as soon as possible, always.
 */
final class Swarm {
    static final String SERVICE_LABEL = "com.docker.swarm.service.name";

    private Swarm() {
    }

    static void enter() {
        docker("swarm", "init", "--advertise-addr", "127.0.0.1");
    }

    /** Removes the services and networks, leaves swarm mode and removes the bridge it made: a plain engine again. */
    static void leave(List<String> services, List<String> networks) {
        for (String s : services) {
            tryDocker("service", "rm", s);
        }
        // the tasks' containers go with their services; go on once they are gone, or after 20 s
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < until && services.stream().anyMatch(s -> !containers(s, false).isEmpty())) {
            sleep(250);
        }
        for (String n : networks) {
            tryDocker("network", "rm", n);
        }
        String left = tryDocker("swarm", "leave", "--force");
        // docker_gwbridge stays after leaving; a container still on it makes a try fail
        for (int i = 0; i < 20 && tryDocker("network", "inspect", "docker_gwbridge") != null
                && tryDocker("network", "rm", "docker_gwbridge") == null; i++) {
            sleep(500);
        }
        System.out.println("Swarm: " + (left == null ? "leave failed" : left.trim()));
    }

    /** The containers of a service's tasks, by task slot (running ones only, unless all). */
    static Map<String, InspectContainerResponse> containers(String service, boolean runningOnly) {
        var docker = DockerClientFactory.instance().client();
        Map<String, InspectContainerResponse> out = new TreeMap<>();
        for (var c : docker.listContainersCmd().withShowAll(!runningOnly)
                .withLabelFilter(Map.of(SERVICE_LABEL, service)).exec()) {
            try {
                InspectContainerResponse i = docker.inspectContainerCmd(c.getId()).exec();
                if (!runningOnly || Boolean.TRUE.equals(i.getState().getRunning())) {
                    String task = i.getConfig().getLabels().get("com.docker.swarm.task.name");
                    out.put(task.substring(service.length() + 1, task.lastIndexOf('.')), i);
                }
            } catch (com.github.dockerjava.api.exception.NotFoundException gone) {
                // removed meanwhile
            }
        }
        return out;
    }

    static String docker(String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("swarm-docker", ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", cmd) + ": no exit within 60 s");
            }
            String text = Files.readString(out);
            Files.delete(out);
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + text);
            }
            return text;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The output, or null when it failed (and why is printed). */
    static String tryDocker(String... args) {
        try {
            return docker(args);
        } catch (AssertionError e) {
            System.out.println("Swarm: " + e.getMessage().trim());
            return null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
