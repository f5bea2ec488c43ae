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
    private static final String LABEL = "camel-registrator-bench";
    private static final Set<String> ACTIONS = Set.of("start", "die", "stop", "kill", "destroy", "pause", "unpause",
            "rename", "health_status");
    private static final long CLK_TCK = 100;

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
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        new Benchmark(samples, 10).run();
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

        Stats register;
        Stats deregister;
        try (Registrator r = Registrator.start("/bench", 30)) {
            results.put("rss_mib_after_start", Stats.round(r.rssMib()));
            Stats[] lat = latency("/bench", "reg", r);
            register = lat[0];
            deregister = lat[1];
            results.put("cpu_ms_per_event", Stats.round(cpuPerEvent));
            results.put("stages_ms", r.stages(stagesBefore));

            if (!LATENCY_ONLY) {
                long idle0 = r.cpuTicks();
                long t0 = System.nanoTime();
                Thread.sleep(30_000);
                double idleSeconds = (System.nanoTime() - t0) / 1e9;
                results.put("idle_cpu_percent", Stats.round((r.cpuTicks() - idle0) * 100.0 / CLK_TCK / idleSeconds));
            }
            results.put("churn_settle_ms", Stats.round(churn("/bench", 100)));
            results.put("rss_mib_after_churn", Stats.round(r.rssMib()));
        }
        if (!LATENCY_ONLY) {
            startUp();
        }
        latencyOfTheFloor(register, deregister);
    }

    /** BENCH_ONLY=latency skips cold start and reconcile: quicker runs while tuning. */
    private static final boolean LATENCY_ONLY = "latency".equals(System.getenv("BENCH_ONLY"));
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
        String jars = System.getenv("BENCH_COLD_COMPARE");
        if (jars != null) {
            for (String jar : jars.split(",")) {
                results.put("cold_start_" + n + "_of_" + Path.of(jar).getFileName(), cold.measure(n, COLD_RUNS, jar));
            }
        }
    }

    private void latencyOfTheFloor(Stats register, Stats deregister) throws Exception {
        Stats floorRegister;
        Stats floorDeregister;
        try (Floor floor = new Floor("/floor")) {
            Stats[] lat = latency("/floor", "floor", null);
            floorRegister = lat[0];
            floorDeregister = lat[1];
        }
        cleanUp();

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
        for (String key : List.of("churn_settle_ms", "reconcile_100_ms", "cold_start_100_ms", "cold_start_1000_ms",
                "rss_mib_after_start", "rss_mib_after_churn", "cpu_ms_per_event", "idle_cpu_percent")) {
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
    }

    // ---- measurements ------------------------------------------------------------------------

    private double cpuPerEvent;

    /** Start then kill one container at a time: event arrival to key put, and to key delete. */
    /** The stage histograms when the measured samples began: the warm-up is taken out of the breakdown. */
    private Map<String, Map<Double, Double>> stagesBefore = Map.of();

    private Stats[] latency(String prefix, String tag, Registrator measured) throws Exception {
        Stats register = new Stats();
        Stats deregister = new Stats();
        long cpu0 = 0;
        long events0 = 0;
        try (Keys keys = new Keys(prefix)) {
            for (int i = 0; i < warmup + samples; i++) {
                if (i == warmup && measured != null) {
                    cpu0 = measured.cpuTicks();
                    stagesBefore = measured.stageBuckets();
                    events0 = events.count;
                }
                String name = tag + "-" + i + "-" + System.nanoTime() % 100000;
                String key = prefix + "/" + Workloads.SERVICE_NAME + "/" + HOST + ":" + name + ":80";
                String id = create(name);
                docker.startContainerCmd(id).exec();
                long put = keys.awaitPut(key, 10_000);
                long started = events.await(id, "start", 5_000);
                docker.killContainerCmd(id).exec();
                long deleted = keys.awaitDelete(key, 10_000);
                long died = events.await(id, "die", 5_000);
                docker.removeContainerCmd(id).withForce(true).exec();
                if (i >= warmup) {
                    register.add((put - started) / 1e6);
                    deregister.add((deleted - died) / 1e6);
                }
            }
            if (measured != null) {
                Thread.sleep(500);
                cpuPerEvent = (measured.cpuTicks() - cpu0) * 1000.0 / CLK_TCK / Math.max(1, events.count - events0);
            }
        }
        return new Stats[] {register, deregister};
    }

    /** n containers started at once, then removed at once: last event to etcd exact, the worse of both. */
    private double churn(String prefix, int n) throws Exception {
        try (Keys keys = new Keys(prefix)) {
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
        return docker.createContainerCmd(Workloads.IMAGE).withName(name).withCmd("httpd", "-f", "-p", "80")
                .withExposedPorts(ExposedPort.tcp(80)).withLabels(Map.of(LABEL, "1"))
                .withHostConfig(HostConfig.newHostConfig()
                        .withPortBindings(new PortBinding(Ports.Binding.empty(), ExposedPort.tcp(80))))
                .exec().getId();
    }

    private void cleanUp() throws Exception {
        // in parallel: a thousand removals one by one take minutes
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> removals = new ArrayList<>();
        for (var c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, "1")).exec()) {
            removals.add(pool.submit(() -> docker.removeContainerCmd(c.getId()).withForce(true).exec()));
        }
        for (Future<?> f : removals) {
            f.get();
        }
        pool.shutdown();
        etcd.getKVClient().delete(bytes("/"), DeleteOption.builder().isPrefix(true).build()).get(10, TimeUnit.SECONDS);
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    // ---- Docker events as the bench sees them --------------------------------------------------

    /** Arrival time of each container event at this process, the common clock of every sample. */
    static final class Events extends ResultCallback.Adapter<Event> {
        private final Map<String, Long> times = new ConcurrentHashMap<>();
        volatile long count;

        @Override
        public void onNext(Event e) {
            long now = System.nanoTime();
            String action = e.getAction() == null ? "" : e.getAction().replaceFirst(":.*", "");
            if (e.getId() != null && ACTIONS.contains(action)) {
                times.put(e.getId() + "/" + action, now);
                count++;
            }
        }

        long await(String id, String action, long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            Long t;
            while ((t = times.get(id + "/" + action)) == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no " + action + " event for " + id);
                }
                Thread.sleep(1);
            }
            return t;
        }

        long lastOf(Set<String> ids, Set<String> actions) {
            long last = 0;
            for (Map.Entry<String, Long> e : times.entrySet()) {
                int slash = e.getKey().indexOf('/');
                if (ids.contains(e.getKey().substring(0, slash)) && actions.contains(e.getKey().substring(slash + 1))) {
                    last = Math.max(last, e.getValue());
                }
            }
            return last;
        }
    }

    // ---- etcd as a watcher sees it ------------------------------------------------------------

    /** The keys under a prefix, kept by an etcd watch, with the arrival time of each change. */
    final class Keys implements Closeable {
        private final Map<String, String> state = new ConcurrentHashMap<>();
        private final Map<String, Long> puts = new ConcurrentHashMap<>();
        private final Map<String, Long> deletes = new ConcurrentHashMap<>();
        private volatile long lastChange;
        private final Watch.Watcher watcher;

        Keys(String prefix) {
            watcher = etcd.getWatchClient().watch(bytes(prefix + "/"), WatchOption.builder().isPrefix(true).build(), r -> {
                long now = System.nanoTime();
                for (WatchEvent e : r.getEvents()) {
                    String key = e.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
                    if (e.getEventType() == WatchEvent.EventType.PUT) {
                        state.put(key, e.getKeyValue().getValue().toString(StandardCharsets.UTF_8));
                        puts.put(key, now);
                    } else {
                        state.remove(key);
                        deletes.put(key, now);
                    }
                }
                lastChange = now;
            });
        }

        long awaitPut(String key, long timeoutMs) throws InterruptedException {
            return await(puts, key, timeoutMs);
        }

        long awaitDelete(String key, long timeoutMs) throws InterruptedException {
            return await(deletes, key, timeoutMs);
        }

        private long await(Map<String, Long> times, String key, long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            Long t;
            while ((t = times.get(key)) == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("key never changed: " + key);
                }
                Thread.sleep(1);
            }
            return t;
        }

        /** When the watch last changed the state into one that holds. */
        long awaitState(Predicate<Map<String, String>> holds, long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            while (!holds.test(state)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("etcd never reached the state; it has " + state.size() + " keys");
                }
                Thread.sleep(1);
            }
            return lastChange;
        }

        int size() {
            return state.size();
        }

        @Override
        public void close() {
            watcher.close();
        }
    }

    // ---- the registrator as a process, with the image's JVM options -------------------------

    // ---- the floor ----------------------------------------------------------------------------

    /** The least a registrator can do: on start inspect and put, on die delete; a warm jetcd client. */
    final class Floor implements AutoCloseable {
        private final ResultCallback.Adapter<Event> stream;

        Floor(String prefix) throws Exception {
            stream = docker.eventsCmd().withEventTypeFilter(EventType.CONTAINER).exec(new ResultCallback.Adapter<>() {
                private final Map<String, String> keys = new ConcurrentHashMap<>();

                @Override
                public void onNext(Event e) {
                    try {
                        if ("start".equals(e.getAction())) {
                            InspectContainerResponse i = docker.inspectContainerCmd(e.getId()).exec();
                            Ports.Binding b = i.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(80))[0];
                            String key = prefix + "/" + Workloads.SERVICE_NAME + "/" + HOST + ":" + i.getName().substring(1) + ":80";
                            keys.put(e.getId(), key);
                            etcd.getKVClient().put(bytes(key), bytes(IP + ":" + b.getHostPortSpec())).get();
                        } else if ("die".equals(e.getAction()) && keys.containsKey(e.getId())) {
                            etcd.getKVClient().delete(bytes(keys.remove(e.getId()))).get();
                        }
                    } catch (Exception ex) {
                        System.err.println("floor: " + ex);
                    }
                }
            });
            stream.awaitStarted(10, TimeUnit.SECONDS);
            etcd.getKVClient().put(bytes(prefix + "/warm"), bytes("up")).get();
            etcd.getKVClient().delete(bytes(prefix + "/warm")).get();
        }

        @Override
        public void close() throws Exception {
            stream.close();
        }
    }
}
