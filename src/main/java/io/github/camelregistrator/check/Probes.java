package io.github.camelregistrator.check;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import io.github.camelregistrator.health.Causes;
import io.github.camelregistrator.queue.Threads;

/**
 * The probes, all asynchronous: the JDK's HTTP client ({@code sendAsync}) and NIO's
 * asynchronous socket channel, on one small thread each, so a service that hangs holds no
 * thread, only its socket until the timeout closes it.
 */
public class Probes implements AutoCloseable {
    /** One probe's outcome: {@code detail} is the status, or why it failed. */
    public record Result(boolean passed, String detail) {
    }

    private final ExecutorService httpThreads = Executors.newFixedThreadPool(1, Threads.daemon("registrator-check-http"));
    private final HttpClient http;
    private final AsynchronousChannelGroup tcpGroup;

    public Probes() {
        try {
            // HTTPS: the probe goes to the container's own address, which no certificate names,
            // so neither the chain nor the name is verified; only that TLS is spoken and 2xx answered
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {new TrustingAll()}, new SecureRandom());
            http = HttpClient.newBuilder().executor(httpThreads).sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            tcpGroup = AsynchronousChannelGroup.withFixedThreadPool(1, Threads.daemon("registrator-check-tcp"));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("health check probes: " + e.getMessage(), e);
        }
    }

    /** Any 2xx within the timeout passes (the body is read and dropped). */
    public CompletableFuture<Result> http(URI target, String method, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(target).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(timeout).header("User-Agent", "camel-registrator-check").build();
        CompletableFuture<HttpResponse<Void>> sent = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        return sent.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((response, failure) -> {
            if (failure != null) {
                sent.cancel(true);
                return new Result(false, why(failure, timeout));
            }
            int status = response.statusCode();
            return new Result(status >= 200 && status < 300, "HTTP " + status);
        });
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

    private static String why(Throwable failure, Duration timeout) {
        Throwable e = Causes.root(failure);
        if (e instanceof TimeoutException || e instanceof HttpTimeoutException) {
            return "timed out after " + timeout.toMillis() + " ms";
        }
        if (e instanceof ConnectException) {
            // the HTTP client gives no message, NIO "Connection refused": one wording for both
            String m = e.getMessage();
            return m == null || m.isEmpty() ? "connection refused" : Character.toLowerCase(m.charAt(0)) + m.substring(1);
        }
        return Causes.message(e);
    }

    private static void close(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the probe is over either way
        }
    }

    @Override
    public void close() {
        try {
            tcpGroup.shutdownNow();
        } catch (IOException ignored) {
            // stopping: the open probes end with it
        }
        httpThreads.shutdownNow();
    }

    /** Trusts every certificate, and as an extended manager also skips the host name check. */
    private static final class TrustingAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
