package io.github.camelregistrator.etcd;

import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.api.WatchGrpc;
import io.grpc.ConnectivityState;
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
                // etcd answers pings more often than every 5 s, or pings with no stream open, with
                // GOAWAY too_many_pings, which drops every stream; the watch stream is always open
                .keepaliveTime(Duration.ofSeconds(30))
                .keepaliveTimeout(Duration.ofSeconds(5))
                .keepaliveWithoutCalls(false)
                // a hand-written value may be large: 64 reads in one answer must still fit
                .maxInboundMessageSize(32 * 1024 * 1024);
        if (user != null) {
            builder.user(EtcdCalls.bytes(user)).password(EtcdCalls.bytes(password == null ? "" : password));
        }
        if (tls != null) {
            builder.sslContext(tls);
        }
        return builder.build();
    }

    /**
     * A watch stub on the client's own channel, with its credentials: jetcd's Watch opens one
     * stream per watch, so {@link KeyWatch} carries all of a host's watches on one stream of its
     * own. jetcd keeps its channel and stub factory private, hence reflection.
     */
    static WatchGrpc.WatchStub watchStub(Client client) throws ReflectiveOperationException {
        Object connections = connections(client);
        Method newStub = connections.getClass().getDeclaredMethod("newStub", Function.class);
        newStub.setAccessible(true);
        Function<ManagedChannel, WatchGrpc.WatchStub> stub = WatchGrpc::newStub;
        return (WatchGrpc.WatchStub) newStub.invoke(connections, stub);
    }

    /**
     * Calls back on every change of the channel's state (connecting, ready, failing), so that
     * a lost or regained connection is seen when it happens rather than at the next call.
     */
    static void onStateChange(Client client, Consumer<ConnectivityState> callback) {
        try {
            ManagedChannel channel = channel(client);
            follow(channel, channel.getState(false), callback);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // this jetcd differs, or its channel does not report state: the probe still finds out
        }
    }

    private static void follow(ManagedChannel channel, ConnectivityState from, Consumer<ConnectivityState> callback) {
        if (channel.isShutdown()) {
            return;
        }
        channel.notifyWhenStateChanged(from, () -> {
            ConnectivityState now = channel.getState(false);
            callback.accept(now);
            follow(channel, now, callback);
        });
    }

    private static Object connections(Client client) throws ReflectiveOperationException {
        Field manager = client.getClass().getDeclaredField("connectionManager");
        manager.setAccessible(true);
        return manager.get(client);
    }

    private static ManagedChannel channel(Client client) throws ReflectiveOperationException {
        Object connections = connections(client);
        Method channel = connections.getClass().getDeclaredMethod("getChannel");
        channel.setAccessible(true);
        return (ManagedChannel) channel.invoke(connections);
    }

    /**
     * Makes the client's gRPC channel try to connect now instead of at the end of its backoff,
     * which grows to two minutes over a long outage. jetcd keeps that channel private
     * (etcd-io/jetcd#1616), so it is reached by reflection; false when this jetcd differs.
     */
    public static boolean resetConnectBackoff(Client client) {
        try {
            channel(client).resetConnectBackoff();
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
