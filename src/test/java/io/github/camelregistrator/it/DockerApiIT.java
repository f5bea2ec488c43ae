package io.github.camelregistrator.it;

import java.time.Duration;
import java.util.Map;

import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;


/**
 * The Docker API version: an explicit one is spoken as given, and one the engine refuses is
 * reported in the log (Docker 29 refuses below 1.44; this engine speaks at most 1.41).
 */
class DockerApiIT extends RegistratorTestSupport {

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator", "registrator.docker-api-version", "1.40"};
    }

    @Test
    void anExplicitVersionIsUsedAndARefusedOneIsReported() throws Exception {
        Workload w = workloads.start(Workloads.uniqueName("api"), Map.of(), 80);
        assertExactly("/services/", Map.of(serviceKey(w.name()),
                IP + ":" + w.hostPort(80)));

        try (JarRegistrator tooNew = JarRegistrator.start("--etcd-endpoints=" + Etcd.endpoint(), "--host-id=api-host",
                "--advertise-ip=10.0.0.7", "--docker-api-version=1.99", "--prefix=/api")) {
            tooNew.awaitLog(Duration.ofSeconds(30), "docker unreachable", "1.99");
        }
    }
}
