package io.github.camelregistrator.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.github.camelregistrator.it.EtcdMetrics;
import io.github.camelregistrator.it.EtcdProcess;
import io.github.camelregistrator.it.ForeignKeys;
import io.github.camelregistrator.it.Workloads;

/**
 * One host's cost on a fleet's etcd (bench/fleet.sh): etcd (a process) preloaded with 0, 100,000
 * and 1,000,000 other hosts' keys, the jar with the image's JVM options and 20 containers of its
 * own; start to all own keys, then idle (four full passes), then other hosts' churn of 1,000
 * writes/s. Only the registrator talks to etcd during the windows, so etcd's /metrics are its
 * load. Ends with a projection to 10,000 hosts × 50 containers.
 */
public final class Fleet {
    private static final int OWN = 20;
    private static final int RESYNC = 5;
    private static final int WINDOW_S = 20;
    private static final int CHURN_PER_S = 1000;
    private static final String HOST = "fleet-bench";

    /** churnCpuS and churnBytesPerS are over what the same span costs at idle: the others' writes' own cost. */
    private record Level(int foreign, double startMs, double idleCpuPct, double idleRssMib, double idleReqPerS,
                         double idleBytesPerS, double watchers, double streams, double churnCpuS, double churnRssMib,
                         double churnBytesPerS) {
    }

    public static void main(String[] args) throws Exception {
        int[] levels = args.length > 0 ? java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
                : new int[] {0, 100_000, 1_000_000};
        List<String> ownKeys = new ArrayList<>();
        List<Level> results = new ArrayList<>();
        try (Workloads workloads = new Workloads()) {
            for (int i = 0; i < OWN; i++) {
                var w = workloads.start(Workloads.uniqueName("fleetbench"), Map.of(), 80);
                ownKeys.add("/services/" + Workloads.SERVICE_NAME + "/" + HOST + ":" + w.name() + ":80");
            }
            for (int foreign : levels) {
                results.add(measure(foreign, ownKeys));
            }
        }
        print(results);
    }

    private static Level measure(int foreign, List<String> ownKeys) throws Exception {
        try (EtcdProcess etcd = new EtcdProcess()) {
            etcd.start();
            long loadStart = System.nanoTime();
            ForeignKeys.load(etcd.client(), foreign, 20);
            System.out.printf("%,d foreign keys loaded in %.1f s%n", foreign, (System.nanoTime() - loadStart) / 1e9);
            // a warm-up start (file caches, the engine after the containers' start), then three: the median is
            // quoted, the machine is shared
            List<Double> starts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                try (Jar jar = Jar.launch(etcd.endpoint(), RESYNC)) {
                    double ms = jar.awaitKeys(etcd.client(), ownKeys);
                    if (i > 0) {
                        starts.add(ms);
                    }
                }
                etcd.closeClient();
            }
            double idleCpuPct;
            double idleRss;
            EtcdMetrics idle;
            try (Jar jar = Jar.launch(etcd.endpoint(), RESYNC)) {
                jar.awaitKeys(etcd.client(), ownKeys);
                etcd.closeClient();
                Thread.sleep(RESYNC * 1000L); // settle: the previous lease revoked, the first pass done
                EtcdMetrics before = EtcdMetrics.read(etcd.endpoint());
                long cpu0 = jar.cpuNanos();
                Thread.sleep(WINDOW_S * 1000L);
                idle = EtcdMetrics.read(etcd.endpoint()).since(before);
                idleCpuPct = (jar.cpuNanos() - cpu0) / 1e9 / WINDOW_S * 100;
                idleRss = jar.rssMib();
            }
            // the others' churn, against a host with no full pass in the window (resync 300 s), so
            // that what it costs is not lost in the passes' own cost: idle first, then the churn
            try (Jar jar = Jar.launch(etcd.endpoint(), 300);
                 Client writer = Client.builder().endpoints(etcd.endpoint()).build()) {
                jar.awaitKeys(etcd.client(), ownKeys);
                etcd.closeClient();
                Thread.sleep(5_000);
                double writerBytes = churnBytes(writer, etcd, foreign, 5) / 5.0;
                long cpu0 = jar.cpuNanos();
                EtcdMetrics b1 = EtcdMetrics.read(etcd.endpoint());
                Thread.sleep(WINDOW_S * 1000L);
                EtcdMetrics quiet = EtcdMetrics.read(etcd.endpoint()).since(b1);
                long cpu1 = jar.cpuNanos();
                churn(writer, foreign, WINDOW_S);
                EtcdMetrics churned = EtcdMetrics.read(etcd.endpoint()).since(b1).since(quiet);
                double churnCpu = (jar.cpuNanos() - cpu1) / 1e9 - (cpu1 - cpu0) / 1e9;
                double toRegistrator = churned.sentBytes() / WINDOW_S - writerBytes - quiet.sentBytes() / WINDOW_S;
                return new Level(foreign, median(starts), idleCpuPct, idleRss, idle.requests() / WINDOW_S,
                        idle.sentBytes() / WINDOW_S, idle.watchers(), idle.watchStreams(), churnCpu, jar.rssMib(),
                        toRegistrator);
            }
        }
    }

    /** What etcd sends the writer alone for this churn: measured before the registrator's window. */
    private static double churnBytes(Client writer, EtcdProcess etcd, int foreign, int seconds) throws Exception {
        EtcdMetrics before = EtcdMetrics.read(etcd.endpoint());
        churn(writer, foreign, seconds);
        return EtcdMetrics.read(etcd.endpoint()).since(before).sentBytes();
    }

    /** CHURN_PER_S writes a second to other hosts' keys (or new ones on an empty etcd), paced. */
    private static void churn(Client writer, int foreign, int seconds) throws Exception {
        long start = System.nanoTime();
        int n = CHURN_PER_S * seconds;
        List<java.util.concurrent.CompletableFuture<?>> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long due = start + (long) i * 1_000_000_000L / CHURN_PER_S;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int k = foreign == 0 ? i % 100_000 : i % foreign;
            pending.add(writer.getKVClient().put(io.github.camelregistrator.it.Etcd.bytes(ForeignKeys.key(k, 20)),
                    io.github.camelregistrator.it.Etcd.bytes(ForeignKeys.value(k + i))));
            if (pending.size() >= 256) {
                for (var f : pending) {
                    f.get(10, TimeUnit.SECONDS);
                }
                pending.clear();
            }
        }
        for (var f : pending) {
            f.get(10, TimeUnit.SECONDS);
        }
    }

    private static void print(List<Level> results) throws Exception {
        System.out.println();
        System.out.printf("idle: resync %d s, so a %d s window holds %d full passes; churn: %,d writes to other hosts' "
                + "keys in %d s, against a host with resync 300 s, its CPU and bytes over the %d s before%n", RESYNC,
                WINDOW_S, WINDOW_S / RESYNC, CHURN_PER_S * WINDOW_S, WINDOW_S, WINDOW_S);
        System.out.printf("%-10s %9s %8s %8s %9s %10s %8s %7s %10s %9s %12s%n", "foreign", "start ms", "idle CPU",
                "idle RSS", "req/s", "bytes/s", "watchers", "streams", "+churn CPU", "churn RSS", "+churn B/s");
        for (Level l : results) {
            System.out.printf("%,-10d %9.0f %7.2f%% %7.1fM %9.2f %10.0f %8.0f %7.0f %+9.3fs %8.1fM %+12.0f%n", l.foreign(),
                    l.startMs(), l.idleCpuPct(), l.idleRssMib(), l.idleReqPerS(), l.idleBytesPerS(), l.watchers(),
                    l.streams(), l.churnCpuS(), l.churnRssMib(), l.churnBytesPerS());
        }
        Level base = results.get(0);
        for (Level l : results.subList(1, results.size())) {
            System.out.printf("with %,d foreign keys: start %.2f × the empty etcd's, RSS %+.1f MiB, idle bytes %.2f ×%n",
                    l.foreign(), l.startMs() / base.startMs(), l.idleRssMib() - base.idleRssMib(),
                    l.idleBytesPerS() / Math.max(1, base.idleBytesPerS()));
        }
        // a host with 50 containers at the shipped resync (30 s) and TTL (a keep-alive every 20 s at 60):
        // a full pass reads its own keys, 64 to a transaction, plus the lease's attached keys
        Level worst = results.get(results.size() - 1);
        double keepAlivesPerS = 1.0 / 20;
        double requestsPerPass = Math.max(0, worst.idleReqPerS() - keepAlivesPerS) * RESYNC;
        double bytesPerPass = worst.idleBytesPerS() * RESYNC;
        double scale = 50.0 / OWN;
        double perHostReq = keepAlivesPerS + requestsPerPass * Math.ceil(scale) / 30;
        double perHostBytes = bytesPerPass * scale / 30;
        System.out.printf("%na full pass of %d own keys: %.1f requests, %.0f bytes from etcd%n", OWN, requestsPerPass,
                bytesPerPass);
        double watchersPerHost = (worst.watchers() - 1) * 50.0 / OWN + 1;
        int hosts = 10_000;
        System.out.printf("projection, %,d hosts × 50 containers, resync 30 s, TTL 60 s (from the %,d-key run, linear "
                + "in own keys):%n", hosts, worst.foreign());
        System.out.printf("  per host: %.2f requests/s, %.0f bytes/s from etcd, %.0f watchers on %.0f stream(s)%n",
                perHostReq, perHostBytes, watchersPerHost, worst.streams());
        System.out.printf("  etcd in total: %,.0f requests/s, %,.0f bytes/s, %,.0f watchers, %,.0f streams "
                + "(~%.1f GB of watch memory at etcd's 18 KB a stream and 350 B a watching)%n", perHostReq * hosts,
                perHostBytes * hosts, watchersPerHost * hosts, worst.streams() * hosts,
                (worst.streams() * hosts * 18e3 + watchersPerHost * hosts * 350) / 1e9);
        Map<String, Object> json = new LinkedHashMap<>();
        for (Level l : results) {
            json.put(String.valueOf(l.foreign()), l);
        }
        Path out = Path.of("target/bench/fleet.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(json));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** The jar as one fleet host: the image's JVM options, only its own containers, four passes a window. */
    private static final class Jar implements AutoCloseable {
        private final Process process;
        private final long launched = System.nanoTime();

        private Jar(Process process) {
            this.process = process;
        }

        static Jar launch(String endpoint, int resync) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("java"));
            cmd.addAll(Registrator.imageJvmOptions(Registrator.JAR));
            cmd.addAll(List.of("-jar", new File(Registrator.JAR).getAbsolutePath(), "--etcd-endpoints=" + endpoint,
                    "--host-id=" + HOST, "--advertise-ip=10.0.0.5", "--names=fleetbench-.*", "--resync=" + resync,
                    "--ttl=60", "--log-level=warn", "--http-enabled=false"));
            Path dir = Files.createTempDirectory("fleet-bench");
            return new Jar(new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("registrator.log").toFile()).start());
        }

        /** @return milliseconds from launch until every own key is in etcd */
        double awaitKeys(Client c, List<String> keys) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            int next = 0;
            while (next < keys.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("own keys not registered within 120 s");
                }
                if (c.getKVClient().get(io.github.camelregistrator.it.Etcd.bytes(keys.get(next)))
                        .get(5, TimeUnit.SECONDS).getCount() == 1) {
                    next++;
                } else {
                    Thread.sleep(5);
                }
            }
            return (System.nanoTime() - launched) / 1e6;
        }

        long cpuNanos() {
            return process.toHandle().info().totalCpuDuration().orElseThrow().toNanos();
        }

        double rssMib() throws Exception {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Double.parseDouble(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
            return 0;
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
