package io.github.camelregistrator.check;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.camelregistrator.health.Causes;
import io.github.camelregistrator.queue.Threads;
import io.netty.channel.ConnectTimeoutException;

/**
 * The probes, all asynchronous, so a service that hangs holds no thread, only its socket until
 * the timeout closes it: HTTP(S) on netty ({@link HttpProbe}, one event loop, made at the first
 * HTTP(S) probe), TCP on NIO's asynchronous socket channel, on one thread.
 */
public class Probes implements AutoCloseable {
    /** One probe's outcome: {@code detail} is the status, or why it failed. */
    public record Result(boolean passed, String detail) {
    }

    private final AsynchronousChannelGroup tcpGroup;
    /** Made at the first HTTP(S) probe: a host without such checks starts no thread for them. */
    private HttpProbe http;
    private boolean closed;

    public Probes() {
        try {
            tcpGroup = AsynchronousChannelGroup.withFixedThreadPool(1, Threads.daemon("registrator-check-tcp"));
        } catch (IOException e) {
            throw new IllegalStateException("health check probes: " + e.getMessage(), e);
        }
    }

    private synchronized HttpProbe http() {
        if (closed) {
            throw new IllegalStateException("the probes are stopped");
        }
        if (http == null) {
            http = new HttpProbe();
        }
        return http;
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
        return http().probe(target, tls, path, method, timeout);
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
        HttpProbe started;
        synchronized (this) {
            closed = true;
            started = http;
        }
        if (started != null) {
            started.close();
        }
    }
}
