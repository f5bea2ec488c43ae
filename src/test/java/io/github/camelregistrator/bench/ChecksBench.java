package io.github.camelregistrator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import io.github.camelregistrator.it.Etcd;
import io.github.camelregistrator.it.Workloads;
import org.testcontainers.DockerClientFactory;

/**
 * The CPU of active health checks, HTTP and TCP in one run: n busybox services with an HTTP check
 * of /health and n with a TCP check, probed every BENCH_CHECK_INTERVAL (default 1 s), beside n
 * whose checks run every 24 h (so once, at the start; half HTTP, half TCP). One registrator at a
 * time registers one of the three sets (registrator.names), so each registers n services with
 * checks and lists and inspects all 3n containers: the difference from the 24 h set is the
 * probing. n = 100 at 1 s is 100 probes/s of each kind, the rate of the 1,000 services
 * every 10 s. BENCH_CHECK_KINDS=http or tcp measures one kind. The jar runs with the image's JVM
 * options, in internal mode: the containers publish no port, so the registrators of tests that
 * share the engine leave them alone. Run with {@code BENCH_ONLY=checks bash bench/run.sh [n]}.
 */
public final class ChecksBench {
    private static final String LABEL = "camel-registrator-bench-checks";
    private static final long CLK_TCK = 100;
    private static final String KINDS = System.getenv().getOrDefault("BENCH_CHECK_KINDS", "http,tcp");
    private static final int WINDOW_S = Integer.parseInt(System.getenv().getOrDefault("BENCH_CHECK_WINDOW", "60"));

    private final DockerClient docker = DockerClientFactory.instance().client();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        String interval = System.getenv().getOrDefault("BENCH_CHECK_INTERVAL", "1s");
        new ChecksBench().run(n, interval);
        System.exit(0);
    }

    private void run(int n, String interval) throws Exception {
        Etcd.endpoint();
        cleanUp();
        List<String> kinds = List.of(KINDS.split(","));
        try {
            long t0 = System.nanoTime();
            startMany(n, "checks-idle", "24h", null);
            for (String kind : kinds) {
                startMany(n, "checks-" + kind, interval, kind);
            }
            System.out.printf("%d containers started in %.0f s; load average %s%n", (1 + kinds.size()) * n,
                    (System.nanoTime() - t0) / 1e9, loadAverage());
            double idle;
            try (Registrator r = Registrator.launch("/checks", 30, "warn", Registrator.JAR, "--internal=true",
                    "--names=^checks-idle-")) {
                r.awaitReady();
                awaitRegistered(n);
                Thread.sleep(10_000);
                idle = cpuPercent(r, WINDOW_S);
            }
            System.out.printf("%d services with checks every 24 h (probed once): %.2f %% of a core; load average %s%n",
                    n, idle, loadAverage());
            for (String kind : kinds) {
                Thread.sleep(3_000);
                measure(kind, n, interval, idle);
            }
        } finally {
            cleanUp();
        }
    }

    private static void measure(String kind, int n, String interval, double idle) throws Exception {
        try (Registrator r = Registrator.launch("/checks", 30, "warn", Registrator.JAR, "--internal=true",
                "--names=^checks-" + kind + "-")) {
            r.awaitReady();
            awaitRegistered(n);
            Thread.sleep(10_000);
            double passed0 = r.metricOrZero("registrator_check_probes_total{result=\"passed\"}");
            double failed0 = r.metricOrZero("registrator_check_probes_total{result=\"failed\"}");
            double busy = cpuPercent(r, WINDOW_S);
            double passed = r.metricOrZero("registrator_check_probes_total{result=\"passed\"}") - passed0;
            double failed = r.metricOrZero("registrator_check_probes_total{result=\"failed\"}") - failed0;
            double perSecond = (passed + failed) / WINDOW_S;
            double msPerProbe = (busy - idle) * 10 / perSecond;
            System.out.printf("%s: %d checks every %s: %.2f %% of a core; %.0f probes/s (%.0f failed); load average %s%n",
                    kind, n, interval, busy, perSecond, failed, loadAverage());
            System.out.printf("%s probes' CPU: %.2f %% of a core, %.3f ms per probe; 1,000 services every 10 s "
                    + "(100 probes/s) would cost %.2f %% of a core%n", kind, busy - idle, msPerProbe, msPerProbe * 100 / 10);
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ", 4)[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static void awaitRegistered(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (registered() < n && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        System.out.printf("%d of %d services registered after their first pass%n", registered(), n);
    }

    private static int registered() {
        try {
            return Etcd.get("/checks/checked/").size();
        } catch (IllegalStateException slow) {
            // etcd's answer took over 5 s on a loaded machine: ask again
            return -1;
        }
    }

    /** The process's CPU over the window, in percent of one core. */
    private static double cpuPercent(Registrator r, int seconds) throws Exception {
        long ticks = r.cpuTicks();
        long t = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        return (r.cpuTicks() - ticks) * 100.0 / CLK_TCK / ((System.nanoTime() - t) / 1e9);
    }

    /** n containers serving /health; kind null: half HTTP, half TCP checks. */
    private void startMany(int n, String prefix, String interval, String kind) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> started = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean http = kind == null ? i % 2 == 0 : kind.equals("http");
            String name = Workloads.uniqueName(prefix);
            started.add(pool.submit(() -> {
                String id = docker.createContainerCmd(Workloads.IMAGE).withName(name)
                        .withLabels(Map.of(LABEL, "true", "SERVICE_NAME", "checked",
                                http ? "SERVICE_CHECK_HTTP" : "SERVICE_CHECK_TCP", http ? "/health" : "true",
                                "SERVICE_CHECK_INTERVAL", interval))
                        // exposed, not published: the registrator runs in internal mode, and the
                        // registrators of tests that share this engine leave them alone
                        .withExposedPorts(ExposedPort.tcp(80))
                        .withCmd("sh", "-c", "touch /health && exec httpd -f -p 80").exec().getId();
                docker.startContainerCmd(id).exec();
                return null;
            }));
        }
        for (Future<?> f : started) {
            f.get();
        }
        pool.shutdown();
    }

    private void cleanUp() {
        for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, "true")).exec()) {
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }
}
