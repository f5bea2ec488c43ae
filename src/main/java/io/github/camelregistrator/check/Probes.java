package io.github.camelregistrator.check;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import io.github.camelregistrator.health.Causes;
import io.github.camelregistrator.queue.Threads;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * The probes, all asynchronous, so a service that hangs holds no thread, only its socket until
 * the timeout closes it. HTTP(S) on vert.x's client (netty) on one event loop of its own: a new
 * connection per probe, as Consul's checks make, since a health check should see the service
 * accept one; the JDK's HTTP client cost four times the CPU per probe (README, Health checks).
 * TCP on NIO's asynchronous socket channel, on one thread.
 */
public class Probes implements AutoCloseable {
    /** One probe's outcome: {@code detail} is the status, or why it failed. */
    public record Result(boolean passed, String detail) {
    }

    private final AsynchronousChannelGroup tcpGroup;
    /** Made at the first HTTP(S) probe: a host without such checks starts no vert.x for them. */
    private Vertx vertx;
    private HttpClient http;
    private boolean closed;

    public Probes() {
        try {
            tcpGroup = AsynchronousChannelGroup.withFixedThreadPool(1, Threads.daemon("registrator-check-tcp"));
        } catch (IOException e) {
            throw new IllegalStateException("health check probes: " + e.getMessage(), e);
        }
    }

    private synchronized Vertx vertx() {
        if (closed) {
            throw new IllegalStateException("the probes are stopped");
        }
        if (vertx == null) {
            // its own small vert.x: one event loop, daemon threads, no file cache; Camel's HTTP
            // server keeps its own, and neither waits for the other to start or stop
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1)
                    .setUseDaemonThread(true)
                    .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
            // HTTPS: the probe goes to the container's own address, which no certificate names,
            // so neither the chain nor the name is verified; only that TLS is spoken and 2xx answered
            http = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(false)
                    .setTrustAll(true).setVerifyHost(false).setForceSni(false).setUseAlpn(false).setDecompressionSupported(false)
                    .setName("registrator-check-http"));
        }
        return vertx;
    }

    /**
     * Any 2xx within the timeout passes; redirects are not followed. The body is read and
     * dropped, and the connection closed. The timeout bounds the whole exchange, connecting
     * included: when it strikes, the connection is closed.
     *
     * @param target the container's address (a literal: no name lookup) and port
     * @param tls    HTTPS
     * @param path   path and query, from {@code /}
     */
    public CompletableFuture<Result> http(InetSocketAddress target, boolean tls, String path, String method, Duration timeout) {
        Vertx vertx = vertx();
        CompletableFuture<Result> done = new CompletableFuture<>();
        long ms = Math.max(1, timeout.toMillis());
        Result timedOut = new Result(false, "timed out after " + timeout.toMillis() + " ms");
        AtomicReference<HttpClientRequest> open = new AtomicReference<>();
        long timer = vertx.setTimer(ms, t -> {
            if (done.complete(timedOut)) {
                HttpClientRequest request = open.get();
                if (request != null) {
                    request.reset();
                }
            }
        });
        RequestOptions options = new RequestOptions().setServer(SocketAddress.inetSocketAddress(target))
                .setHost(hostOf(target)).setPort(target.getPort()).setSsl(tls).setURI(path)
                .setMethod(HttpMethod.valueOf(method)).setFollowRedirects(false).setConnectTimeout(ms)
                .putHeader(HttpHeaders.USER_AGENT, "camel-registrator-check");
        http.request(options).compose(request -> {
            open.set(request);
            if (done.isDone()) {
                // the deadline struck while connecting
                request.reset();
            }
            return request.send();
        }).compose(response -> response.end().map(v -> response.statusCode())).onComplete(outcome -> {
            vertx.cancelTimer(timer);
            if (outcome.succeeded()) {
                int status = outcome.result();
                done.complete(new Result(status >= 200 && status < 300, "HTTP " + status));
            } else {
                done.complete(new Result(false, why(outcome.cause(), timeout)));
            }
        });
        return done;
    }

    /** The Host header's host: the address as given, an IPv6 literal bracketed as in the target URL. */
    static String hostOf(InetSocketAddress target) {
        String ip = target.getHostString();
        return ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    }

    /** A connection that opens within the timeout passes; it is closed at once. */
    public CompletableFuture<Result> tcp(InetSocketAddress target, Duration timeout) {
        CompletableFuture<Result> done = new CompletableFuture<>();
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open(tcpGroup);
        } catch (IOException e) {
            done.complete(new Result(false, Causes.message(e)));
            return done;
        }
        channel.connect(target, null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void v, Void a) {
                done.complete(new Result(true, "connected"));
            }

            @Override
            public void failed(Throwable e, Void a) {
                done.complete(new Result(false, why(e, timeout)));
            }
        });
        return done.completeOnTimeout(new Result(false, "timed out after " + timeout.toMillis() + " ms"),
                timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> close(channel));
    }

    /** One wording for both transports: "timed out after 300 ms", "connection refused" (without netty's address). */
    static String why(Throwable failure, Duration timeout) {
        Throwable e = Causes.root(failure);
        if (e instanceof TimeoutException || e instanceof ConnectTimeoutException) {
            return "timed out after " + timeout.toMillis() + " ms";
        }
        if (e instanceof ConnectException) {
            String m = e.getMessage();
            if (m == null || m.isEmpty()) {
                return "connection refused";
            }
            int address = m.indexOf(": /");
            m = address > 0 ? m.substring(0, address) : m;
            return Character.toLowerCase(m.charAt(0)) + m.substring(1);
        }
        String m = Causes.message(e);
        return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }

    private static void close(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the probe is over either way
        }
    }

    /** Stops the probes' threads: the open probes end with them. */
    @Override
    public void close() {
        try {
            tcpGroup.shutdownNow();
        } catch (IOException ignored) {
            // stopping either way
        }
        Vertx started;
        synchronized (this) {
            closed = true;
            started = vertx;
        }
        if (started == null) {
            return;
        }
        try {
            // bounded: a stopping registrator does not wait long for its probes
            started.close().toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // its threads are daemons: they do not hold the JVM
        }
    }
}
