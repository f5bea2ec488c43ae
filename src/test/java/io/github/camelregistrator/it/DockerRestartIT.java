package io.github.camelregistrator.it;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Docker restart while the registrator follows it: events resume, the containers that died
 * with the daemon are deregistered, and containers started after the restart are registered.
 */
class DockerRestartIT extends RegistratorTestSupport {
    private static SecondDockerd dockerd;

    @Override
    protected String[] overrides() {
        try {
            if (dockerd == null) {
                dockerd = new SecondDockerd();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new String[] {"registrator.layouts", "registrator", "registrator.docker-host", dockerd.host(),
                "registrator.resync", "300"};
    }

    @AfterAll
    static void stopDockerd() throws Exception {
        if (dockerd != null) {
            dockerd.close();
            dockerd = null;
        }
    }

    private String run(String name) throws Exception {
        return dockerd.output("run -d --name " + name + " -p 80 " + Workloads.IMAGE + " httpd -f -p 80");
    }

    private String value(String name) throws Exception {
        return IP + ":" + dockerd.firstPublishedPort(name, "80/tcp");
    }

    @Test
    void eventsResumeAfterARestartAndTheDeadAreDeregistered() throws Exception {
        String before = Workloads.uniqueName("before");
        run(before);
        assertExactly("/services/", Map.of(serviceKey(before), value(before)));

        dockerd.stop();
        dockerd.start();
        // the container died with its daemon and was not restarted
        Eventually.within(Duration.ofSeconds(20), () -> assertEquals(Map.of(), Etcd.get("/services/")));

        String after = Workloads.uniqueName("after");
        run(after);
        Eventually.within(Duration.ofSeconds(20), () -> {
            try {
                assertEquals(Map.of(serviceKey(after), value(after)), Etcd.get("/services/"));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}
