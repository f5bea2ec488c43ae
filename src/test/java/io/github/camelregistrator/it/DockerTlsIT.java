package io.github.camelregistrator.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Docker host over TCP with TLS, configured the standard way (DOCKER_HOST,
 * DOCKER_TLS_VERIFY, DOCKER_CERT_PATH): the engine verifies the registrator's client
 * certificate and the registrator verifies the engine's.
 */
class DockerTlsIT {

    @Test
    void registersFromAnEngineReachedOverVerifiedTls() throws Exception {
        Certificates certs = new Certificates();
        Path client = Files.createTempDirectory("docker-certs");
        Files.copy(certs.file("ca.pem"), client.resolve("ca.pem"));
        Files.copy(certs.file("client.pem"), client.resolve("cert.pem"));
        Files.copy(certs.file("client-key.pem"), client.resolve("key.pem"));
        int port = Etcd.freePort();
        try (SecondDockerd dockerd = new SecondDockerd("br-regtls", "172.31.251.1/24", List.of(
                "--host", "tcp://127.0.0.1:" + port, "--tlsverify", "--tlscacert", certs.file("ca.pem").toString(),
                "--tlscert", certs.file("server.pem").toString(), "--tlskey", certs.file("server-key.pem").toString()))) {
            Etcd.clear();
            try (JarRegistrator r = JarRegistrator.start(Files.createTempDirectory("registrator-jar"),
                    Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + port, "DOCKER_TLS_VERIFY", "1",
                            "DOCKER_CERT_PATH", client.toString()),
                    "--etcd-endpoints=" + Etcd.endpoint(), "--host-id=tls-host", "--advertise-ip=10.0.0.7", "--prefix=/tls")) {
                String name = Workloads.uniqueName("overtls");
                dockerd.output("run -d --name " + name + " -p 80 " + Workloads.IMAGE + " httpd -f -p 80");
                String port80 = dockerd.firstPublishedPort(name, "80/tcp");
                Eventually.within(Duration.ofSeconds(30), () -> {
                    try {
                        assertEquals(Map.of("/tls/" + Workloads.SERVICE_NAME + "/tls-host:" + name + ":80", "10.0.0.7:" + port80),
                                Etcd.get("/tls/"), r.log());
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                });
            }
        }
    }
}
