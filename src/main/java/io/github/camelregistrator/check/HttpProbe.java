package io.github.camelregistrator.check;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The HTTP(S) probe on netty (already in the jar for gRPC and vert.x): one event loop, netty's
 * HTTP/1.1 codec, a new connection per probe closed after the response, as Consul's checks
 * do, so the check sees the service accept one. One deadline per exchange, connecting included,
 * closes the channel when it strikes. In one JVM (bench/ProbeTransportBench, 500 probes/s, the
 * image's JIT) this cost 0.17–0.22 ms of CPU per probe, vert.x's client 0.20–0.23 ms (with a
 * second vert.x instance, its pool and contexts) and the JDK's HttpClient 0.46–0.59 ms.
 */
final class HttpProbe implements AutoCloseable {
    private final EventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory("registrator-check-http", true));
    /** Made at the first HTTPS probe: setting up TLS takes a while, and most checks are plain. */
    private SslContext tls;

    private synchronized SslContext tls() {
        if (tls == null) {
            try {
                // the probe goes to the container's own address, which no certificate names, so
                // neither the chain nor the name is verified (and no SNI is sent); only that TLS
                // is spoken and 2xx answered
                tls = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
            } catch (javax.net.ssl.SSLException e) {
                throw new IllegalStateException("TLS for HTTPS checks: " + e.getMessage(), e);
            }
        }
        return tls;
    }

    /** Any 2xx within the timeout passes; the timeout bounds the whole exchange, connecting included. */
    CompletableFuture<Probes.Result> probe(InetSocketAddress target, boolean https, String path, String method, Duration timeout) {
        SslContext tls = https ? tls() : null;
        CompletableFuture<Probes.Result> done = new CompletableFuture<>();
        try {
            // the whole start on the loop: one hand-off per probe rather than one per step
            loop.execute(() -> {
                try {
                    start(target, tls, path, method, timeout, done);
                } catch (RuntimeException e) {
                    // a check that never ends would never run again
                    done.complete(new Probes.Result(false, Probes.why(e, timeout)));
                }
            });
        } catch (RejectedExecutionException stopped) {
            done.complete(new Probes.Result(false, "the probes are stopped"));
        }
        return done;
    }

    private void start(InetSocketAddress target, SslContext tls, String path, String method, Duration timeout,
                       CompletableFuture<Probes.Result> done) {
        Exchange exchange = new Exchange(done, timeout);
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), path,
                Unpooled.EMPTY_BUFFER);
        request.headers().set(HttpHeaderNames.HOST, Probes.hostOf(target) + ":" + target.getPort())
                .set(HttpHeaderNames.USER_AGENT, "camel-registrator-check")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ChannelFuture connecting = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(), exchange);
                    }
                }).connect(target);
        Channel channel = connecting.channel();
        ScheduledFuture<?> deadline = channel.eventLoop().schedule(() -> exchange.end(channel, exchange.timedOut()),
                Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        connecting.addListener(connected -> {
            if (connected.isSuccess()) {
                // queued behind the TLS handshake for HTTPS
                channel.writeAndFlush(request);
            } else {
                exchange.end(channel, new Probes.Result(false, Probes.why(connected.cause(), timeout)));
            }
        });
        done.whenComplete((r, e) -> deadline.cancel(false));
    }

    /** One probe's side of the pipeline: the status, then the body dropped to its end. */
    private static final class Exchange extends SimpleChannelInboundHandler<HttpObject> {
        private final CompletableFuture<Probes.Result> done;
        private final Duration timeout;
        private int status;

        Exchange(CompletableFuture<Probes.Result> done, Duration timeout) {
            this.done = done;
            this.timeout = timeout;
        }

        Probes.Result timedOut() {
            return new Probes.Result(false, "timed out after " + timeout.toMillis() + " ms");
        }

        void end(Channel channel, Probes.Result result) {
            done.complete(result);
            channel.close();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg.decoderResult().isFailure()) {
                end(ctx.channel(), new Probes.Result(false, "bad response: " + Probes.why(msg.decoderResult().cause(), timeout)));
                return;
            }
            if (msg instanceof HttpResponse response) {
                int code = response.status().code();
                // an interim answer (100 Continue) is followed by the real one
                status = code >= 100 && code < 200 && code != 101 ? 0 : code;
            }
            if (msg instanceof LastHttpContent && status != 0) {
                end(ctx.channel(), new Probes.Result(status >= 200 && status < 300, "HTTP " + status));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            end(ctx.channel(), new Probes.Result(false, "connection closed before a whole response"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            end(ctx.channel(), new Probes.Result(false, Probes.why(cause, timeout)));
        }
    }

    @Override
    public void close() {
        loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
