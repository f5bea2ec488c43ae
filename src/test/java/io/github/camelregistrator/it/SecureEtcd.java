package io.github.camelregistrator.it;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.auth.Permission;
import io.github.camelregistrator.etcd.EtcdClients;
import io.netty.handler.ssl.SslContext;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A dedicated etcd over TLS (server certificate of a test CA) with authentication on: root,
 * and a user "registrator" limited by a role to the registrator's prefixes.
 */
final class SecureEtcd implements AutoCloseable {
    static final String USER = "registrator";
    static final String PASSWORD = "s3cret-registrator-pw";
    private static final String ROOT_PASSWORD = "r00t-pw";
    final Certificates certs;
    final String endpoint;
    /** A root client, which sees every key. */
    final Client root;
    private final GenericContainer<?> container;

    /** @param clientCertAuth whether etcd demands a client certificate of the test CA */
    SecureEtcd(boolean clientCertAuth) throws Exception {
        certs = new Certificates();
        int port = Etcd.freePort();
        int peer = Etcd.freePort();
        endpoint = "https://127.0.0.1:" + port;
        List<String> command = new ArrayList<>(List.of("etcd", "--name", "tls", "--data-dir", "/tmp/etcd",
                "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
                "--listen-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "tls=http://127.0.0.1:" + peer,
                "--cert-file", "/certs/server.pem", "--key-file", "/certs/server-key.pem"));
        if (clientCertAuth) {
            command.addAll(List.of("--trusted-ca-file", "/certs/ca.pem", "--client-cert-auth"));
        }
        container = new GenericContainer<>(DockerImageName.parse(Etcd.IMAGE))
                .withNetworkMode("host")
                .withLabel("SERVICE_IGNORE", "true")
                .withFileSystemBind(certs.dir.toString(), "/certs", BindMode.READ_ONLY)
                .withCommand(command.toArray(String[]::new))
                .waitingFor(Wait.forLogMessage(".*(ready to serve client requests|serving client traffic).*", 1));
        container.start();
        try (Client admin = Client.builder().endpoints(endpoint).sslContext(clientTls()).build()) {
            var auth = admin.getAuthClient();
            auth.userAdd(b("root"), b(ROOT_PASSWORD)).get(10, TimeUnit.SECONDS);
            auth.userGrantRole(b("root"), b("root")).get(10, TimeUnit.SECONDS);
            auth.roleAdd(b(USER)).get(10, TimeUnit.SECONDS);
            for (String prefix : new String[] {"/services/", "/registrator/"}) {
                auth.roleGrantPermission(b(USER), b(prefix), b(prefix.substring(0, prefix.length() - 1) + "0"),
                        Permission.Type.READWRITE).get(10, TimeUnit.SECONDS);
            }
            auth.userAdd(b(USER), b(PASSWORD)).get(10, TimeUnit.SECONDS);
            auth.userGrantRole(b(USER), b(USER)).get(10, TimeUnit.SECONDS);
            auth.authEnable().get(10, TimeUnit.SECONDS);
        }
        root = Client.builder().endpoints(endpoint).sslContext(clientTls()).user(b("root")).password(b(ROOT_PASSWORD)).build();
    }

    /** TLS that trusts the test CA and presents the client certificate. */
    SslContext clientTls() throws Exception {
        return EtcdClients.tls(List.of(endpoint), file("ca.pem"), file("client.pem"), file("client-key.pem"));
    }

    String file(String name) {
        return certs.file(name).toString();
    }

    /** A PKCS#12 trust store holding the test CA, for -Djavax.net.ssl.trustStore (password "changeit"). */
    Path trustStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (var in = Files.newInputStream(certs.file("ca.pem"))) {
            store.setCertificateEntry("registrator-test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        Path path = certs.file("truststore.p12");
        try (OutputStream out = Files.newOutputStream(path)) {
            store.store(out, "changeit".toCharArray());
        }
        return path;
    }

    static ByteSequence b(String s) {
        return Etcd.bytes(s);
    }

    @Override
    public void close() {
        root.close();
        container.stop();
    }
}
