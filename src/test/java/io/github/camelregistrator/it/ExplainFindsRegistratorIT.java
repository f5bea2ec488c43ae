package io.github.camelregistrator.it;

import java.time.Duration;
import java.util.Map;

import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plain {@code explain <container>}, with none of the registrator's flags, agrees with the
 * registrator running here on a non-default HTTP port and advertise IP (it finds the record the
 * registrator left in its runtime directory); with none running it says so and which options
 * it assumed, and reports no etcd error.
 */
class ExplainFindsRegistratorIT {
    private static final String IP = "10.0.0.7";
    private final Workloads workloads = new Workloads();

    @AfterEach
    void cleanUp() {
        workloads.close();
    }

    @Test
    void aPlainExplainFindsTheRegistratorOnItsOwnPort() throws Exception {
        Workload w = workloads.start(Workloads.uniqueName("found"), Map.of(), 80);
        int http = Etcd.freePort();
        String host = "explain-host-" + w.name();
        try (JarRegistrator r = JarRegistrator.start(java.nio.file.Files.createTempDirectory("explain-finds"),
                "--etcd-endpoints=" + Etcd.endpoint(), "--host-id=" + host, "--advertise-ip=" + IP,
                "--http-port=" + http, "--names=" + w.name())) {
            r.awaitLog(Duration.ofSeconds(60), "put key=/services/busybox/" + host + ":" + w.name() + ":80 value=" + IP + ":");
            String out = JarRegistrator.run("explain", w.name());
            System.out.println("explain " + w.name() + ", plain:\n" + out);
            assertTrue(out.startsWith("0\ncontainer " + w.name() + "\n"), out);
            assertTrue(out.contains("\nstate:      registered\n"), out);
            assertTrue(out.contains(" = " + IP + ":" + w.hostPort(80) + "\n"), out);
            assertTrue(out.contains("source:     the registrator of this host, at http://127.0.0.1:" + http
                    + "/observe/registrations/" + w.name() + " (recorded by pid "), out);
        }
        // none running: computed here, saying so, with the options it assumed, and no etcd error
        String alone = JarRegistrator.run("explain", w.name());
        System.out.println("explain " + w.name() + ", none running:\n" + alone);
        assertTrue(alone.startsWith("4\ncontainer " + w.name() + "\n"), alone);
        assertTrue(alone.contains("\nstate:      not registered: 1 of its 1 key(s) not in etcd as computed here"), alone);
        assertTrue(alone.contains("\nnote:       no registrator is running on this host"), alone);
        assertTrue(alone.contains("\nassumed:    host-id=") && alone.contains(" (default), advertise-ip="), alone);
        assertFalse(alone.contains("last error"), alone);
    }
}
