package io.github.camelregistrator.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * One real etcd for the test JVM, started by Testcontainers on the host network so that it
 * publishes no port and the registrator under test does not register it.
 */
public final class Etcd {
    /** Public image by default; the offline CI substitutes a locally built one. */
    public static final String IMAGE = System.getenv().getOrDefault("IT_ETCD_IMAGE", "quay.io/coreos/etcd:v3.5.17");
    private static GenericContainer<?> container;
    private static Client client;
    private static int port;

    private Etcd() {
    }

    public static synchronized String endpoint() {
        if (container == null) {
            port = freePort();
            int peer = freePort();
            container = new GenericContainer<>(DockerImageName.parse(IMAGE))
                    .withNetworkMode("host")
                    // host networking makes its exposed ports host ports, which would be registered
                    .withLabel("SERVICE_IGNORE", "true")
                    .withCommand("etcd", "--name", "it", "--data-dir", "/tmp/etcd",
                            "--listen-client-urls", "http://127.0.0.1:" + port,
                            "--advertise-client-urls", "http://127.0.0.1:" + port,
                            "--listen-peer-urls", "http://127.0.0.1:" + peer,
                            "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                            "--initial-cluster", "it=http://127.0.0.1:" + peer)
                    .waitingFor(Wait.forLogMessage(".*(ready to serve client requests|serving client traffic).*", 1));
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        }
        return "http://127.0.0.1:" + port;
    }

    /** Stops the etcd container, keeping its data, as an outage would. */
    public static void stop() {
        org.testcontainers.DockerClientFactory.instance().client().stopContainerCmd(container.getContainerId()).exec();
    }

    /** Freezes the etcd process: connections stay open and nothing answers, as with a hung server. */
    public static void pause() {
        org.testcontainers.DockerClientFactory.instance().client().pauseContainerCmd(container.getContainerId()).exec();
    }

    public static void unpause() {
        org.testcontainers.DockerClientFactory.instance().client().unpauseContainerCmd(container.getContainerId()).exec();
    }

    /**
     * Starts it again, on the same port, and returns as soon as it answers /health: the
     * moment a registrator's return-to-service time is measured from. The test's own client
     * is replaced, since its channel may still be in gRPC's reconnect backoff.
     */
    public static void start() throws Exception {
        try {
            org.testcontainers.DockerClientFactory.instance().client().startContainerCmd(container.getContainerId()).exec();
        } catch (com.github.dockerjava.api.exception.NotModifiedException alreadyRunning) {
            // started already
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint() + "/health")).timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = "no answer";
        while (true) {
            try {
                last = http.send(health, HttpResponse.BodyHandlers.ofString()).body();
                if (last.contains("\"health\":\"true\"")) {
                    break;
                }
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("etcd not healthy 30 s after its start: " + last);
            }
            Thread.sleep(20);
        }
        synchronized (Etcd.class) {
            if (client != null) {
                client.close();
                client = null;
            }
        }
    }

    public static synchronized Client client() {
        if (client == null) {
            // no pings without a call: jetcd's default draws too_many_pings from etcd, which would be blamed on the registrator
            client = Client.builder().endpoints(endpoint()).keepaliveWithoutCalls(false).build();
        }
        return client;
    }

    /** Every key under prefix with its value, sorted. */
    public static Map<String, String> get(String prefix) {
        return get(client(), prefix);
    }

    /** Every key under prefix with its value, sorted, as another etcd holds them. */
    public static Map<String, String> get(Client etcd, String prefix) {
        try {
            Map<String, String> out = new TreeMap<>();
            for (KeyValue kv : etcd.getKVClient().get(bytes(prefix), GetOption.builder().isPrefix(true).build())
                    .get(5, TimeUnit.SECONDS).getKvs()) {
                out.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toString(StandardCharsets.UTF_8));
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyValue kv(String key) throws Exception {
        var kvs = client().getKVClient().get(bytes(key)).get(5, TimeUnit.SECONDS).getKvs();
        return kvs.isEmpty() ? null : kvs.get(0);
    }

    /** {@link #kv(String)} for assertions in lambdas: a failed read fails the assertion. */
    public static KeyValue read(String key) {
        try {
            return kv(key);
        } catch (Exception e) {
            throw new AssertionError("reading " + key + ": " + e, e);
        }
    }

    public static void put(String key, String value, long lease) throws Exception {
        client().getKVClient().put(bytes(key), bytes(value), PutOption.builder().withLeaseId(lease).build())
                .get(5, TimeUnit.SECONDS);
    }

    public static long grant(long ttl) throws Exception {
        return client().getLeaseClient().grant(ttl).get(5, TimeUnit.SECONDS).getID();
    }

    public static void clear() throws Exception {
        client().getKVClient().delete(bytes("/"), DeleteOption.builder().isPrefix(true).build()).get(5, TimeUnit.SECONDS);
    }

    public static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
