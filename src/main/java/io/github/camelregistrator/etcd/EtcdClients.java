package io.github.camelregistrator.etcd;

import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

/** The one jetcd client of the process. */
public final class EtcdClients {
    private EtcdClients() {
    }

    /**
     * TLS for etcd: always for https:// endpoints, so that a password never travels in the
     * clear, and whenever a PEM file is given (the key in PKCS#8). Without a CA file the JVM's
     * default trust store verifies the server. Null only for http:// endpoints without files.
     */
    public static SslContext tls(List<String> endpoints, String caFile, String certFile, String keyFile)
            throws javax.net.ssl.SSLException {
        boolean https = endpoints.stream().anyMatch(e -> e.startsWith("https://"));
        if (!https && caFile == null && certFile == null) {
            return null;
        }
        SslContextBuilder builder = GrpcSslContexts.forClient();
        if (caFile != null) {
            builder.trustManager(new File(caFile));
        }
        if (certFile != null) {
            builder.keyManager(new File(certFile), new File(keyFile));
        }
        return builder.build();
    }

    /**
     * Fails fast instead of waiting for a connection (jetcd's default waits without bound
     * while etcd is down); every call also gets a deadline in {@link Registry}.
     */
    public static Client create(List<String> endpoints, String user, String password, long timeoutMs, SslContext tls) {
        ClientBuilder builder = Client.builder()
                .endpoints(endpoints.toArray(String[]::new))
                .waitForReady(false)
                .connectTimeout(Duration.ofMillis(timeoutMs))
                // jetcd's own retries stay within one deadline (its max duration must exceed its delay)
                .retryChronoUnit(java.time.temporal.ChronoUnit.MILLIS)
                .retryDelay(20)
                .retryMaxDelay(Math.max(40, timeoutMs / 4))
                .retryMaxDuration(Duration.ofMillis(timeoutMs))
                .keepaliveTime(Duration.ofSeconds(10))
                .keepaliveTimeout(Duration.ofSeconds(3));
        if (user != null) {
            builder.user(EtcdCalls.bytes(user)).password(EtcdCalls.bytes(password == null ? "" : password));
        }
        if (tls != null) {
            builder.sslContext(tls);
        }
        return builder.build();
    }

    /**
     * Makes the client's gRPC channel try to connect now instead of at the end of its backoff,
     * which grows to two minutes over a long outage. jetcd keeps that channel private
     * (etcd-io/jetcd#1616), so it is reached by reflection; false when this jetcd differs.
     */
    public static boolean resetConnectBackoff(Client client) {
        try {
            Field manager = client.getClass().getDeclaredField("connectionManager");
            manager.setAccessible(true);
            Object connections = manager.get(client);
            Method channel = connections.getClass().getDeclaredMethod("getChannel");
            channel.setAccessible(true);
            ((ManagedChannel) channel.invoke(connections)).resetConnectBackoff();
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
