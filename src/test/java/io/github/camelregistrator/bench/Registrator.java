package io.github.camelregistrator.bench;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.camelregistrator.it.Etcd;

/** The built jar as the benchmark runs it: with the image's JVM options, its HTTP port, its log and its CPU and memory. */
final class Registrator implements AutoCloseable {
    private final Process process;
    private final int port;
    private final long launched;
    private final Path log;

    private Registrator(Process process, int port, long launched, Path log) {
        this.process = process;
        this.port = port;
        this.launched = launched;
        this.log = log;
    }

    static Registrator start(String prefix, int resync) throws Exception {
        Registrator r = launch(prefix, resync, "warn", JAR);
        r.awaitReady();
        return r;
    }

    /** Launches it and returns at once: cold starts are timed from here. */
    static Registrator launch(String prefix, int resync, String logLevel, String jar, String... flags) throws Exception {
        return launch(prefix, resync, logLevel, jar, imageJvmOptions(jar), flags);
    }

    /** @param jvmOptions in place of the image's */
    static Registrator launch(String prefix, int resync, String logLevel, String jar, List<String> jvmOptions,
                              String... flags) throws Exception {
        int port = Etcd.freePort();
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(jvmOptions);
        if (System.getenv("BENCH_JVM_EXTRA") != null) {
            // beside the image's options: a profile (-XX:StartFlightRecording=...) or -XX:NativeMemoryTracking=summary
            cmd.addAll(List.of(System.getenv("BENCH_JVM_EXTRA").trim().split("\\s+")));
        }
        cmd.addAll(List.of("-jar", new File(jar).getAbsolutePath(),
                "--etcd-endpoints=" + Etcd.endpoint(), "--host-id=" + Benchmark.HOST, "--advertise-ip=" + Benchmark.IP,
                "--prefix=" + prefix, "--http-port=" + port, "--resync=" + resync, "--log-level=" + logLevel));
        cmd.addAll(List.of(flags));
        Path dir = Files.createTempDirectory("registrator-bench");
        long launched = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("registrator.log").toFile()).start();
        return new Registrator(p, port, launched, dir.resolve("registrator.log"));
    }

    long launched() {
        return launched;
    }

    Path log() {
        return log;
    }

    /** The JVM options of the Dockerfile's ENTRYPOINT, so the figures are the image's. */
    /** The jar measured; BENCH_JAR=x.jar measures another, with its archive x.jsa beside it. */
    static final String JAR = System.getenv().getOrDefault("BENCH_JAR", "target/camel-registrator.jar");

    static List<String> imageJvmOptions(String jar) throws Exception {
        if (System.getenv("BENCH_JVM_OPTS") != null) {
            // an experiment: other JVM options than the image's
            return List.of(System.getenv("BENCH_JVM_OPTS").trim().split("\\s+"));
        }
        String dockerfile = Files.readString(Path.of("Dockerfile")).replace("\\\n", " ");
        Matcher m = Pattern.compile("ENTRYPOINT \\[(.*?)\\]").matcher(dockerfile);
        if (!m.find()) {
            throw new IllegalStateException("no ENTRYPOINT in the Dockerfile");
        }
        List<String> options = new ArrayList<>();
        for (String token : m.group(1).split(",")) {
            String t = token.trim().replaceAll("^\"|\"$", "");
            if (t.equals("-jar")) {
                break;
            }
            if (t.startsWith("-XX:SharedArchiveFile=")) {
                // the image's archive, made by bench/run.sh for this JVM and jar
                t = "-XX:SharedArchiveFile=" + new File(jar.replaceFirst("camel-registrator\\.jar$", "app.jsa")
                        .replaceFirst("\\.jar$", ".jsa")).getAbsolutePath();
            }
            if (!t.equals("java")) {
                options.add(t);
            }
        }
        return options;
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + "\n" + r.body();
    }

    void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (get("/observe/health/ready").startsWith("200")) {
                    return;
                }
            } catch (Exception notYet) {
                // starting
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the registrator never became ready");
    }

    /** Median duration of the next full passes, as the registrator's own gauge reports them. */
    double reconcileMs(int passes) throws Exception {
        Stats s = new Stats();
        double seen = metric("registrator_reconcile_passes_total");
        while (s.n() < passes) {
            Thread.sleep(200);
            double now = metric("registrator_reconcile_passes_total");
            if (now > seen) {
                seen = now;
                s.add(metric("registrator_reconcile_last_duration_seconds") * 1000);
            }
        }
        return s.median();
    }

    /**
     * p50 and p99 of each stage of the registrator's own breakdown (registrator_stage_seconds),
     * over the events since {@code before}: interpolated within the histogram's buckets.
     */
    Map<String, String> stages(Map<String, Map<Double, Double>> before) throws Exception {
        Map<String, Map<Double, Double>> after = stageBuckets();
        Map<String, String> out = new LinkedHashMap<>();
        for (String stage : List.of("queued", "inspect", "map", "deliver", "total")) {
            Map<Double, Double> b = before.getOrDefault(stage, Map.of());
            java.util.TreeMap<Double, Double> counts = new java.util.TreeMap<>();
            after.getOrDefault(stage, Map.of()).forEach((le, n) -> counts.put(le, n - b.getOrDefault(le, 0.0)));
            out.put(stage, String.format("%.2f / %.2f", quantile(counts, 0.5), quantile(counts, 0.99)));
        }
        return out;
    }

    /** Cumulative bucket counts of each stage, by upper bound in seconds. */
    Map<String, Map<Double, Double>> stageBuckets() throws Exception {
        Matcher m = Pattern.compile("(?m)^registrator_stage_seconds_bucket\\{(?=[^}]*stage=\"(\\w+)\")[^}]*le=\"([^\"]+)\"[^}]*} ([0-9.eE+-]+)$")
                .matcher(get("/observe/metrics"));
        Map<String, Map<Double, Double>> out = new LinkedHashMap<>();
        while (m.find()) {
            double le = m.group(2).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(2));
            out.computeIfAbsent(m.group(1), k -> new java.util.TreeMap<>()).put(le, Double.parseDouble(m.group(3)));
        }
        return out;
    }

    /** In milliseconds, interpolated linearly within the bucket that holds the quantile. */
    private static double quantile(java.util.TreeMap<Double, Double> cumulative, double q) {
        double total = cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
        if (total <= 0) {
            return Double.NaN;
        }
        double lower = 0;
        double below = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= q * total) {
                double upper = e.getKey().isInfinite() ? lower : e.getKey();
                double inBucket = e.getValue() - below;
                double fraction = inBucket <= 0 ? 1 : (q * total - below) / inBucket;
                return (lower + (upper - lower) * fraction) * 1000;
            }
            lower = e.getKey();
            below = e.getValue();
        }
        return lower * 1000;
    }

    /** A metric's value, by its Prometheus name with labels ({@code name{label="v"}}); 0 when absent. */
    double metricOrZero(String nameWithLabels) throws Exception {
        // HTTP/1.1 with deadlines: a default client's request once waited here for minutes under load
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/observe/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(nameWithLabels) + " ([0-9.eE+-]+)$").matcher(r.body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private double metric(String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.eE+-]+)$").matcher(get("/observe/metrics"));
        if (!m.find()) {
            throw new IllegalStateException("no metric " + name);
        }
        return Double.parseDouble(m.group(1));
    }

    long pid() {
        return process.pid();
    }

    double rssMib() throws Exception {
        return Proc.rssMib(process.pid());
    }

    long cpuTicks() throws Exception {
        return Proc.cpuTicks(process.pid());
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
