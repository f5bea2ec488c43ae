package io.github.camelregistrator.bench;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.camelregistrator.it.Etcd;
import io.github.camelregistrator.it.Workloads;
import org.testcontainers.DockerClientFactory;

/**
 * Measures the registrator against real Docker and etcd, and against the floor (a minimal
 * event, inspect, put loop on a warm jetcd client) in the same run. Prints a table and writes
 * target/bench/results.json. Run with bench/run.sh.
 */
public final class Benchmark {
    static final String HOST = "bench";
    static final String IP = "10.0.0.5";
    private static final String LABEL = Lifecycles.LABEL;

    private final DockerClient docker = DockerClientFactory.instance().client();
    private final Client etcd = Etcd.client();
    private final Events events = new Events();
    private final int samples;
    private final int warmup;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<String> table = new ArrayList<>();

    private Benchmark(int samples, int warmup) {
        this.samples = samples;
        this.warmup = warmup;
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        // BENCH_WARMUP: lifecycles before the measured ones (at least 100), for both the jar and the floor
        new Benchmark(samples, Math.max(100, Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP", "100")))).run();
        System.exit(0);
    }

    // ---- the run ---------------------------------------------------------------------------

    private void run() throws Exception {
        Etcd.endpoint();
        cleanUp();
        if (COLD_START_ONLY) {
            startUp();
            print(null, null, null, null);
            return;
        }
        docker.eventsCmd().withEventTypeFilter(EventType.CONTAINER).exec(events);
        events.awaitStarted(10, TimeUnit.SECONDS);
        Lifecycles lifecycles = new Lifecycles(docker, etcd, events);

        Lifecycles.Result jar;
        try (Registrator r = Registrator.start("/bench", 30)) {
            results.put("rss_mib_after_start", Stats.round(r.rssMib()));
            double inspects0 = r.metricOrZero("registrator_docker_inspects_total");
            long events0 = events.count;
            jar = lifecycles.measure("/bench", "reg", r.pid(), warmup, samples, IDLE_MS, () -> {
                stagesBefore = r.stageBuckets();
                return null;
            });
            results.put("stages_ms", r.stages(stagesBefore));
            results.put("cpu_ms_per_lifecycle", Stats.round(jar.cpuMsPerLifecycle()));
            results.put("cpu_ms_per_event", Stats.round(jar.cpuMsPerLifecycle() * (warmup + samples)
                    / Math.max(1, events.count - events0)));
            results.put("inspects_per_lifecycle", Stats.round((r.metricOrZero("registrator_docker_inspects_total")
                    - inspects0) / (warmup + samples)));
            results.put("idle_cpu_percent", Stats.round(jar.idleCpuPercent()));
            if (CPU_ONLY) {
                System.out.printf("%nregistration latency (ms)  %s%nderegistration latency (ms)  %s%n%s%n",
                        jar.register(), jar.deregister(), results);
                return;
            }
            lifecycles.many("/bench", "more", 1000 - warmup - samples, 4);
            results.put("rss_mib_after_1000_lifecycles", Stats.round(r.rssMib()));
            nativeMemory(r.pid());
            results.put("churn_settle_ms", Stats.round(churn("/bench", 100)));
            results.put("rss_mib_after_churn", Stats.round(r.rssMib()));
        }
        Stats txn = BareTxn.measure(etcd, "/txn", samples);
        results.put("bare_guarded_txn_ms", txn.json());
        Stats put = BareTxn.measurePut(etcd, "/put", samples);
        results.put("bare_put_ms", put.json());
        if (!LATENCY_ONLY) {
            startUp();
        }
        Lifecycles.Result floor;
        try (FloorProcess.Handle f = FloorProcess.launch("/floor")) {
            floor = lifecycles.measure("/floor", "floor", f.pid(), warmup, samples, IDLE_MS, () -> null);
            // the same Docker transport and etcd client without Camel: what the libraries alone hold
            results.put("floor_rss_mib", Stats.round(Proc.rssMib(f.pid())));
        }
        results.put("floor_cpu_ms_per_lifecycle", Stats.round(floor.cpuMsPerLifecycle()));
        results.put("cpu_ratio", Stats.round(jar.cpuMsPerLifecycle() / floor.cpuMsPerLifecycle()));
        cleanUp();
        if (!LATENCY_ONLY) {
            try {
                results.put("container_idle_cpu_percent", Stats.round(ContainerIdle.measure(docker, CONTAINER_IDLE_S)));
            } catch (Exception e) {
                // the rest of the run still counts
                System.out.println("container idle not measured: " + e.getMessage());
                results.put("container_idle_cpu_percent", null);
            }
        }
        latencies(jar.register(), jar.deregister(), floor.register(), floor.deregister());
        System.out.printf("%-42s %s%n", "bare guarded transaction (ms)", txn);
        System.out.printf("%-42s %s%n", "bare plain put, the floor's (ms)", put);
    }

    /** With BENCH_JVM_EXTRA=-XX:NativeMemoryTracking=summary: where the memory is, in target/bench/nmt.txt. */
    private static void nativeMemory(long pid) throws Exception {
        if (!String.valueOf(System.getenv("BENCH_JVM_EXTRA")).contains("NativeMemoryTracking")) {
            return;
        }
        Path out = Path.of("target/bench/nmt.txt");
        Files.createDirectories(out.getParent());
        new ProcessBuilder("jcmd", String.valueOf(pid), "VM.native_memory", "summary").redirectErrorStream(true)
                .redirectOutput(out.toFile()).start().waitFor();
        Files.writeString(out, "\n--- /proc/" + pid + "/status ---\n" + Files.readString(Path.of("/proc/" + pid + "/status")),
                java.nio.file.StandardOpenOption.APPEND);
        System.out.println("native memory summary written to " + out.toAbsolutePath());
    }

    /** How long the registrator's idle CPU is measured, after the warm-up and before the measured lifecycles. */
    private static final long IDLE_MS = Long.parseLong(System.getenv().getOrDefault("BENCH_IDLE_MS", "30000"));
    /** How long the image runs idle, its health check included (BENCH_CONTAINER_IDLE_S, default 300). */
    private static final long CONTAINER_IDLE_S = Long.parseLong(System.getenv().getOrDefault("BENCH_CONTAINER_IDLE_S", "300"));

    /** BENCH_ONLY=latency skips cold start and reconcile: quicker runs while tuning. */
    private static final boolean LATENCY_ONLY = "latency".equals(System.getenv("BENCH_ONLY"));
    /** BENCH_ONLY=cpu: only the jar's lifecycles, their CPU and stages: quicker runs while tuning. */
    private static final boolean CPU_ONLY = "cpu".equals(System.getenv("BENCH_ONLY"));
    /** BENCH_ONLY=coldstart runs only the cold starts and the reconcile of 100. */
    private static final boolean COLD_START_ONLY = "coldstart".equals(System.getenv("BENCH_ONLY"));
    /** Cold starts per size (BENCH_COLD_RUNS, default 3); the table shows their median. */
    private static final int COLD_RUNS = Integer.parseInt(System.getenv().getOrDefault("BENCH_COLD_RUNS", "3"));

    private void startUp() throws Exception {
        ColdStart cold = new ColdStart(this);
        List<String> running = startMany(100, "cold");
        compare(cold, running.size());
        Map<String, Object> cold100 = cold.measure(running.size(), COLD_RUNS, Registrator.JAR);
        try (Registrator r = Registrator.start("/reconcile100", 3)) {
            // steady state: the first passes run before the JIT has compiled them
            r.reconcileMs(5);
            results.put("reconcile_100_ms", Stats.round(r.reconcileMs(7)));
        }
        results.put("cold_start_100_ms", cold100.get("median_ms"));
        results.put("cold_start_100", cold100);
        long t0 = System.nanoTime();
        running.addAll(startMany(900, "cold", true));
        System.out.printf("900 more containers started in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        compare(cold, running.size());
        Map<String, Object> cold1000 = cold.measure(running.size(), COLD_RUNS, Registrator.JAR);
        results.put("cold_start_1000_ms", cold1000.get("median_ms"));
        results.put("cold_start_1000", cold1000);
        cleanUp();
    }

    /** BENCH_COLD_COMPARE=a.jar,b.jar: cold starts of other builds (each with its archive a.jsa) on the same containers. */
    private void compare(ColdStart cold, int n) throws Exception {
        String options = System.getenv("BENCH_COLD_COMPARE_OPTS");
        if (options != null) {
            // BENCH_COLD_COMPARE_OPTS="-Xmx96m ...": the same jar with other JVM options, on the same containers
            results.put("cold_start_" + n + "_with_other_options", cold.measure(n, COLD_RUNS, Registrator.JAR,
                    List.of(options.trim().split("\\s+"))));
        }
        String jars = System.getenv("BENCH_COLD_COMPARE");
        if (jars != null) {
            for (String jar : jars.split(",")) {
                results.put("cold_start_" + n + "_of_" + Path.of(jar).getFileName(), cold.measure(n, COLD_RUNS, jar));
            }
        }
    }

    private void latencies(Stats register, Stats deregister, Stats floorRegister, Stats floorDeregister) throws Exception {
        results.put("register_latency_ms", register.json());
        results.put("deregister_latency_ms", deregister.json());
        results.put("floor_register_latency_ms", floorRegister.json());
        results.put("floor_deregister_latency_ms", floorDeregister.json());
        results.put("register_ratio_p50", Stats.round(register.median() / floorRegister.median()));
        results.put("deregister_ratio_p50", Stats.round(deregister.median() / floorDeregister.median()));
        print(register, deregister, floorRegister, floorDeregister);
    }

    private void print(Stats reg, Stats dereg, Stats floorReg, Stats floorDereg) throws Exception {
        System.out.println();
        if (reg != null) {
            printLatency(reg, dereg, floorReg, floorDereg);
        }
        for (String key : List.of("cpu_ms_per_lifecycle", "floor_cpu_ms_per_lifecycle", "cpu_ratio",
                "inspects_per_lifecycle", "cpu_ms_per_event", "idle_cpu_percent", "container_idle_cpu_percent",
                "churn_settle_ms", "reconcile_100_ms", "cold_start_100_ms", "cold_start_1000_ms", "rss_mib_after_start",
                "rss_mib_after_1000_lifecycles", "rss_mib_after_churn", "floor_rss_mib")) {
            System.out.printf("%-42s %s%n", key, results.get(key));
        }
        for (String key : List.of("cold_start_100", "cold_start_1000")) {
            if (results.get(key) instanceof Map<?, ?> m) {
                System.out.printf("%-42s %s%n", "  " + key + " milestones (ms)", m.get("milestones_ms"));
            }
        }
        Path out = Path.of("target/bench/results.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results));
        System.out.println("\nwritten " + out.toAbsolutePath());
    }

    private void printLatency(Stats reg, Stats dereg, Stats floorReg, Stats floorDereg) {
        System.out.printf("%-42s %s%n", "registration latency (ms)", reg);
        System.out.printf("%-42s %s%n", "  floor: event -> inspect -> put", floorReg);
        System.out.printf("%-42s %.2f%n", "  ratio registrator/floor (p50)", reg.median() / floorReg.median());
        System.out.printf("%-42s %s%n", "deregistration latency (ms)", dereg);
        System.out.printf("%-42s %s%n", "  floor: event -> delete", floorDereg);
        System.out.printf("%-42s %.2f%n", "  ratio registrator/floor (p50)", dereg.median() / floorDereg.median());
        System.out.printf("%-42s %s%n", "stages of an event, p50 / p99 (ms)", results.get("stages_ms"));
        System.out.printf("%-42s %s%n", "bare guarded transaction, p50 (ms)", ((Map<?, ?>) results.get("bare_guarded_txn_ms")).get("p50"));
        System.out.printf("%-42s %s%n", "bare plain put, p50 (ms)", ((Map<?, ?>) results.get("bare_put_ms")).get("p50"));
    }

    // ---- measurements ------------------------------------------------------------------------

    /** The stage histograms when the measured samples began: the warm-up is taken out of the breakdown. */
    private Map<String, Map<Double, Double>> stagesBefore = Map.of();

    /** n containers started at once, then removed at once: last event to etcd exact, the worse of both. */
    private double churn(String prefix, int n) throws Exception {
        try (Keys keys = new Keys(etcd, prefix)) {
            List<String> ids = startMany(n, "churn");
            Set<String> idSet = Set.copyOf(ids);
            long lastStart = events.lastOf(idSet, Set.of("start"));
            long exactUp = keys.awaitState(k -> k.size() == n, 30_000);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> removals = new ArrayList<>();
            for (String id : ids) {
                removals.add(pool.submit(() -> docker.removeContainerCmd(id).withForce(true).exec()));
            }
            for (Future<?> f : removals) {
                f.get();
            }
            pool.shutdown();
            long exactDown = keys.awaitState(Map::isEmpty, 30_000);
            Thread.sleep(200);
            // removal is announced by die; destroy events may well come after etcd is exact
            long lastDown = events.lastOf(idSet, Set.of("die"));
            double up = (exactUp - lastStart) / 1e6;
            double down = (exactDown - lastDown) / 1e6;
            table.add(String.format("churn: start settle %.1f ms, removal settle %.1f ms", up, down));
            System.out.printf("churn of %d: exact %.1f ms after the last start event, %.1f ms after the last removal event%n",
                    n, up, down);
            return Math.max(up, down);
        }
    }

    private List<String> startMany(int n, String tag) throws Exception {
        return startMany(n, tag, false);
    }

    /**
     * @param hostNetwork sleepers on the host's network, each exposing port 80 (one service
     *                    each, as a published port would be): a thousand published ports make
     *                    Docker's iptables work so slow that starting them takes minutes
     */
    private List<String> startMany(int n, String tag, boolean hostNetwork) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> started = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = tag + "-" + i + "-" + System.nanoTime() % 1000000;
            started.add(pool.submit(() -> {
                String id = hostNetwork ? createOnHostNetwork(name) : create(name);
                docker.startContainerCmd(id).exec();
                return id;
            }));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> f : started) {
            ids.add(f.get());
        }
        pool.shutdown();
        return ids;
    }

    private String createOnHostNetwork(String name) {
        return docker.createContainerCmd(Workloads.IMAGE).withName(name).withCmd("sleep", "3600")
                .withExposedPorts(ExposedPort.tcp(80)).withLabels(Map.of(LABEL, "1"))
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("host")).exec().getId();
    }

    private String create(String name) {
        return new Lifecycles(docker, etcd, events).create(name);
    }

    Client etcd() {
        return etcd;
    }

    private void cleanUp() throws Exception {
        // in parallel: a thousand removals one by one take minutes
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> removals = new ArrayList<>();
        for (var c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, "1")).exec()) {
            removals.add(pool.submit(() -> docker.removeContainerCmd(c.getId()).withForce(true).exec()));
        }
        int removed = 0;
        for (Future<?> f : removals) {
            try {
                f.get(2, TimeUnit.MINUTES);
            } catch (java.util.concurrent.TimeoutException e) {
                // seen once after a thousand removals: dockerd stopped answering, "runc did not terminate" in its log
                pool.shutdownNow();
                throw new IllegalStateException("Docker stopped answering after " + removed + " of " + removals.size()
                        + " removals: see /var/log/dockerd.log; restart dockerd, then remove what is left");
            }
            removed++;
        }
        pool.shutdown();
        etcd.getKVClient().delete(bytes("/"), DeleteOption.builder().isPrefix(true).build()).get(10, TimeUnit.SECONDS);
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
