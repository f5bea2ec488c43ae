package io.github.camelregistrator.it;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.auth.Permission;
import io.github.camelregistrator.etcd.EtcdClients;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * etcd over TLS that verifies the server, asks for a client certificate, and has
 * authentication on, with the registrator's user limited to its prefixes by a role.
 */
class EtcdTlsIT extends RegistratorTestSupport {
    private static final String PASSWORD = "s3cret-registrator-pw";
    private static final String ROOT_PASSWORD = "r00t-pw";
    private static Certificates certs;
    private static GenericContainer<?> etcd;
    private static String endpoint;
    private static Client root;
    private static LogCapture log;

    private static synchronized void startSecureEtcd() throws Exception {
        if (etcd != null) {
            return;
        }
        certs = new Certificates();
        int port = Etcd.freePort();
        int peer = Etcd.freePort();
        endpoint = "https://127.0.0.1:" + port;
        etcd = new GenericContainer<>(DockerImageName.parse(Etcd.IMAGE))
                .withNetworkMode("host")
                .withLabel("SERVICE_IGNORE", "true")
                .withFileSystemBind(certs.dir.toString(), "/certs", BindMode.READ_ONLY)
                .withCommand("etcd", "--name", "tls", "--data-dir", "/tmp/etcd",
                        "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
                        "--listen-peer-urls", "http://127.0.0.1:" + peer,
                        "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                        "--initial-cluster", "tls=http://127.0.0.1:" + peer,
                        "--cert-file", "/certs/server.pem", "--key-file", "/certs/server-key.pem",
                        "--trusted-ca-file", "/certs/ca.pem", "--client-cert-auth")
                .waitingFor(Wait.forLogMessage(".*(ready to serve client requests|serving client traffic).*", 1));
        etcd.start();
        var tls = EtcdClients.tls(certs.file("ca.pem").toString(), certs.file("client.pem").toString(),
                certs.file("client-key.pem").toString());
        try (Client admin = Client.builder().endpoints(endpoint).sslContext(tls).build()) {
            var auth = admin.getAuthClient();
            auth.userAdd(b("root"), b(ROOT_PASSWORD)).get(10, TimeUnit.SECONDS);
            auth.userGrantRole(b("root"), b("root")).get(10, TimeUnit.SECONDS);
            auth.roleAdd(b("registrator")).get(10, TimeUnit.SECONDS);
            for (String prefix : new String[] {"/services/", "/registrator/"}) {
                auth.roleGrantPermission(b("registrator"), b(prefix), b(prefix.substring(0, prefix.length() - 1) + "0"),
                        Permission.Type.READWRITE).get(10, TimeUnit.SECONDS);
            }
            auth.userAdd(b("registrator"), b(PASSWORD)).get(10, TimeUnit.SECONDS);
            auth.userGrantRole(b("registrator"), b("registrator")).get(10, TimeUnit.SECONDS);
            auth.authEnable().get(10, TimeUnit.SECONDS);
        }
        root = Client.builder().endpoints(endpoint).sslContext(tls).user(b("root")).password(b(ROOT_PASSWORD)).build();
    }

    private static ByteSequence b(String s) {
        return Etcd.bytes(s);
    }

    @AfterAll
    static void stop() {
        if (root != null) {
            root.close();
        }
        if (etcd != null) {
            etcd.stop();
        }
        if (log != null) {
            log.close();
        }
    }

    @Override
    protected String[] overrides() {
        try {
            startSecureEtcd();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (log == null) {
            log = new LogCapture();
        }
        return new String[] {"registrator.layouts", "registrator", "registrator.etcd-endpoints", endpoint,
                "registrator.etcd-ca-file", certs.file("ca.pem").toString(),
                "registrator.etcd-cert-file", certs.file("client.pem").toString(),
                "registrator.etcd-key-file", certs.file("client-key.pem").toString(),
                "registrator.etcd-user", "registrator", "registrator.etcd-password", PASSWORD};
    }

    @Test
    void registersOverTlsWithItsOwnLimitedUserAndNeverLogsTheSecret() throws Exception {
        String name = Workloads.uniqueName("secure");
        Workload w = workloads.start(name, Map.of(), 80);
        String key = serviceKey(name);
        String value = IP + ":" + w.hostPort(80);
        Eventually.within(Duration.ofSeconds(15), () -> assertEquals(Map.of(key, value), Etcd.get(root, "/services/")));

        // the watch route reaches this etcd too: a deleted key comes back
        root.getKVClient().delete(b(key)).get(5, TimeUnit.SECONDS);
        Eventually.within(Duration.ofSeconds(2), () -> assertEquals(Map.of(key, value), Etcd.get(root, "/services/")));

        // the role really limits the user: outside its prefixes it may not write
        try (Client limited = Client.builder().endpoints(endpoint).user(b("registrator")).password(b(PASSWORD))
                .sslContext(EtcdClients.tls(certs.file("ca.pem").toString(), certs.file("client.pem").toString(),
                        certs.file("client-key.pem").toString())).build()) {
            assertThrows(Exception.class, () -> limited.getKVClient().put(b("/elsewhere/x"), b("y")).get(5, TimeUnit.SECONDS));
        }
        // the password shows in no log line (and the capture does see the registrator's lines)
        assertTrue(log.count("lease granted") >= 1, log.lines().toString());
        assertEquals(0, log.count(PASSWORD));
        workloads.remove(w);
        Eventually.within(Duration.ofSeconds(10), () -> assertEquals(Map.of(), Etcd.get(root, "/services/")));
    }
}
