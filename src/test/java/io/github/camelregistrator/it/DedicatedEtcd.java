package io.github.camelregistrator.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * An etcd of a test's own (plain http, host network, data inside the container), for tests
 * that break it (auth, quota) or replace it, which the shared {@link Etcd} must not suffer.
 */
final class DedicatedEtcd implements AutoCloseable {
    final int port;
    private final GenericContainer<?> container;
    private Client client;

    /** Starts one on the given client and peer ports, with extra etcd flags. */
    DedicatedEtcd(int port, int peer, String... flags) {
        this.port = port;
        List<String> command = new ArrayList<>(List.of("etcd", "--name", "dedicated", "--data-dir", "/tmp/etcd",
                "--listen-client-urls", endpoint(), "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "dedicated=http://127.0.0.1:" + peer));
        command.addAll(List.of(flags));
        container = new GenericContainer<>(DockerImageName.parse(Etcd.IMAGE))
                .withNetworkMode("host")
                // host networking makes its exposed ports host ports, which would be registered
                .withLabel("SERVICE_IGNORE", "true")
                .withCommand(command.toArray(String[]::new))
                .waitingFor(Wait.forLogMessage(".*(ready to serve client requests|serving client traffic).*", 1));
        container.start();
    }

    DedicatedEtcd(String... flags) {
        this(Etcd.freePort(), Etcd.freePort(), flags);
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** A client without credentials, closed with this etcd. */
    synchronized Client client() {
        if (client == null) {
            client = Client.builder().endpoints(endpoint()).keepaliveWithoutCalls(false).build();
        }
        return client;
    }

    /**
     * Waits until /health says true and returns that moment (System.nanoTime): a
     * registrator's return-to-service time is measured from it. /health is false while an
     * alarm (NOSPACE) is raised.
     */
    long awaitHealthy() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint() + "/health")).timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                last = http.send(health, HttpResponse.BodyHandlers.ofString()).body();
                if (last.contains("\"health\":\"true\"")) {
                    return System.nanoTime();
                }
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("etcd at " + endpoint() + " not healthy within 30 s: " + last);
    }

    /** The permissions of a user's role, granted before auth is turned on. */
    interface Grants {
        void grant(io.etcd.jetcd.Auth auth) throws Exception;
    }

    /**
     * Turns authentication on: root with its password and, unless {@code user} is null, that
     * user with a role of its own name, holding what {@code grants} gives it.
     *
     * @return a client logged in as root; the caller closes it
     */
    Client enableAuth(String rootPassword, String user, String password, Grants grants) throws Exception {
        var auth = client().getAuthClient();
        auth.userAdd(bytes("root"), bytes(rootPassword)).get(10, TimeUnit.SECONDS);
        auth.userGrantRole(bytes("root"), bytes("root")).get(10, TimeUnit.SECONDS);
        if (user != null) {
            auth.roleAdd(bytes(user)).get(10, TimeUnit.SECONDS);
            grants.grant(auth);
            auth.userAdd(bytes(user), bytes(password)).get(10, TimeUnit.SECONDS);
            auth.userGrantRole(bytes(user), bytes(user)).get(10, TimeUnit.SECONDS);
        }
        auth.authEnable().get(10, TimeUnit.SECONDS);
        return Client.builder().endpoints(endpoint()).user(bytes("root")).password(bytes(rootPassword)).build();
    }

    private static io.etcd.jetcd.ByteSequence bytes(String s) {
        return io.etcd.jetcd.ByteSequence.from(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Stops and removes the container, and with it all its data. */
    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
        container.stop();
    }
}
