package io.github.camelregistrator.bench;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.github.camelregistrator.check.Probes;
import io.github.camelregistrator.it.Workloads;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import org.testcontainers.DockerClientFactory;

/**
 * The HTTP probe's transports side by side, in this JVM alone (run it with the image's JVM
 * options, and JFR if wanted): the process's CPU per probe while probing busybox httpd
 * containers at a fixed rate, less the same JVM's CPU while idle. {@code netty} is the shipped
 * probe (check/Probes, HttpProbe); the others are kept here to compare: {@code jdk}, the one it
 * replaced (the JDK's HttpClient.sendAsync on one executor thread, HTTP/1.1, no redirects), and
 * {@code vertx}, vert.x's HttpClient on one event loop without keep-alive; {@code tcp} is the
 * TCP probe. Usage: {@code BENCH_ONLY=transport bash bench/run.sh netty|vertx|jdk|tcp [probes/s] [seconds]}.
 */
public final class ProbeTransportBench {
    private static final String LABEL = "camel-registrator-bench-transport";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    public static void main(String[] args) throws Exception {
        String transport = args[0];
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        DockerClient docker = DockerClientFactory.instance().client();
        cleanUp(docker);
        try {
            List<InetSocketAddress> targets = startTargets(docker, 20);
            Probe probe = probe(transport);
            AtomicLong passed = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            Thread.sleep(3_000);
            double idle = cpuMsPerSecond(seconds / 2);
            var ticks = Executors.newSingleThreadScheduledExecutor();
            long[] i = {0};
            // the same shape as routes/checks.yaml: a 100 ms tick starts the probes due
            ticks.scheduleAtFixedRate(() -> {
                for (int k = 0; k < rate / 10; k++) {
                    probe.run(targets.get((int) (i[0]++ % targets.size()))).thenAccept(r -> (r ? passed : failed).incrementAndGet());
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            Thread.sleep(15_000);
            long p0 = passed.get() + failed.get();
            long f0 = failed.get();
            long[] ticks0 = userSystemTicks();
            double busy = cpuMsPerSecond(seconds);
            long[] ticks1 = userSystemTicks();
            double perSecond = (passed.get() + failed.get() - p0) / (double) seconds;
            ticks.shutdownNow();
            System.out.printf("%s: idle %.2f ms CPU/s, probing %.2f ms CPU/s (user %d, system %d ticks) at %.0f probes/s "
                    + "(%d failed): %.3f ms per probe, %.2f %% of a core at 100 probes/s; load average %s%n", transport,
                    idle, busy, ticks1[0] - ticks0[0], ticks1[1] - ticks0[1], perSecond, failed.get() - f0,
                    (busy - idle) / perSecond, (busy - idle) / perSecond * 100 / 10,
                    java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]);
        } finally {
            cleanUp(docker);
        }
        System.exit(0);
    }

    interface Probe {
        CompletableFuture<Boolean> run(InetSocketAddress target);
    }

    private static Probe probe(String transport) {
        switch (transport) {
            case "netty" -> {
                Probes p = new Probes();
                return t -> p.http(t, false, "/health", "GET", TIMEOUT).thenApply(Probes.Result::passed);
            }
            case "vertx" -> {
                Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                        .setInternalBlockingPoolSize(1).setUseDaemonThread(true));
                io.vertx.core.http.HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                        .setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(false));
                return t -> {
                    CompletableFuture<Boolean> done = new CompletableFuture<>();
                    long timer = vertx.setTimer(TIMEOUT.toMillis(), x -> done.complete(false));
                    client.request(new RequestOptions().setServer(SocketAddress.inetSocketAddress(t)).setHost(t.getHostString())
                            .setPort(t.getPort()).setURI("/health").setFollowRedirects(false)
                            .putHeader("User-Agent", "camel-registrator-check"))
                            .compose(req -> req.send()).compose(resp -> resp.end().map(v -> resp.statusCode()))
                            .onComplete(r -> {
                                vertx.cancelTimer(timer);
                                done.complete(r.succeeded() && r.result() / 100 == 2);
                            });
                    return done;
                };
            }
            case "tcp" -> {
                Probes p = new Probes();
                return t -> p.tcp(t, TIMEOUT).thenApply(Probes.Result::passed);
            }
            case "jdk" -> {
                ExecutorService thread = Executors.newFixedThreadPool(1);
                HttpClient client = HttpClient.newBuilder().executor(thread).version(HttpClient.Version.HTTP_1_1)
                        .followRedirects(HttpClient.Redirect.NEVER).build();
                return t -> {
                    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + t.getHostString() + ":" + t.getPort()
                            + "/health")).timeout(TIMEOUT).header("User-Agent", "camel-registrator-check").build();
                    var sent = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
                    return sent.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .handle((r, e) -> e == null && r.statusCode() / 100 == 2);
                };
            }
            default -> throw new IllegalArgumentException("netty, vertx, jdk or tcp: " + transport);
        }
    }

    /** utime and stime of this process so far, in clock ticks (/proc/self/stat). */
    private static long[] userSystemTicks() throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    /** This process's CPU time over the window, in ms per second. */
    private static double cpuMsPerSecond(int seconds) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long t = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        return (os.getProcessCpuTime() - cpu) / 1e6 / ((System.nanoTime() - t) / 1e9);
    }

    private static List<InetSocketAddress> startTargets(DockerClient docker, int n) throws Exception {
        List<InetSocketAddress> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = docker.createContainerCmd(Workloads.IMAGE).withName(Workloads.uniqueName("transport"))
                    .withLabels(Map.of(LABEL, "true")).withCmd("sh", "-c", "touch /health && exec httpd -f -p 80")
                    .exec().getId();
            docker.startContainerCmd(id).exec();
            String ip = docker.inspectContainerCmd(id).exec().getNetworkSettings().getIpAddress();
            out.add(new InetSocketAddress(InetAddress.getByAddress(ip, InetAddress.getByName(ip).getAddress()), 80));
        }
        return out;
    }

    private static void cleanUp(DockerClient docker) {
        for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, "true")).exec()) {
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }
}
