package io.github.camelregistrator.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cold start: from the launch of the registrator's process to the last of n keys in etcd,
 * with n containers already running, and where that time went, read from the milestones
 * the registrator logs (at info) against the launch's wall clock.
 */
final class ColdStart {
    /** Log line fragments and the name of the milestone each marks. */
    private static final Map<String, String> MILESTONES = new LinkedHashMap<>();

    static {
        MILESTONES.put("Apache Camel (Main)", "camel_main_starting");
        MILESTONES.put("registrator - starting host-id=", "configuration");
        MILESTONES.put("docker event stream connected", "docker_events");
        MILESTONES.put("lease granted", "lease");
        MILESTONES.put("registrator - start-up pass", "start_up_pass");
    }

    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final Benchmark bench;

    ColdStart(Benchmark bench) {
        this.bench = bench;
    }

    /** The median of runs cold starts, each on its own prefix, and the median time of each milestone. */
    Map<String, Object> measure(int n, int runs, String jar) throws Exception {
        return measure(n, runs, jar, Registrator.imageJvmOptions(jar));
    }

    /** @param jvmOptions in place of the image's */
    Map<String, Object> measure(int n, int runs, String jar, List<String> jvmOptions) throws Exception {
        Stats total = new Stats();
        Map<String, Stats> stages = new LinkedHashMap<>();
        for (int i = 0; i < runs; i++) {
            String prefix = "/cold" + n + "-" + i + "-" + Math.abs((jar + jvmOptions).hashCode() % 1000);
            try (Keys keys = new Keys(bench.etcd(), prefix)) {
                long wall = System.currentTimeMillis();
                try (Registrator r = Registrator.launch(prefix, 30, "info", jar, jvmOptions)) {
                    long at = keys.awaitState(k -> k.size() >= n, 120_000);
                    double ms = (at - r.launched()) / 1e6;
                    total.add(ms);
                    awaitPassWithLease(r.log());
                    Map<String, Double> run = breakdown(r.log(), wall, ms);
                    run.forEach((stage, v) -> stages.computeIfAbsent(stage, s -> new Stats()).add(v));
                    System.out.printf("cold start with %d (%s): %.0f ms %s%n", n, jar, ms, run);
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("median_ms", Stats.round(total.median()));
        out.put("runs_ms", total.json());
        Map<String, Object> medians = new LinkedHashMap<>();
        stages.forEach((stage, s) -> medians.put(stage, Stats.round(s.median())));
        out.put("milestones_ms", medians);
        return out;
    }

    /** The start-up pass after the lease logs once it has written, which may be just after the last key arrived. */
    private static void awaitPassWithLease(Path log) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            String text = Files.readString(log);
            int lease = text.indexOf("lease granted");
            if (lease >= 0 && text.indexOf("start-up pass", lease) >= 0) {
                return;
            }
            Thread.sleep(20);
        }
    }

    /** When each milestone was logged, in ms after the launch, and when the last key arrived. */
    static Map<String, Double> breakdown(Path log, long launchedWall, double totalMs) throws Exception {
        Map<String, Double> at = new LinkedHashMap<>();
        for (String line : Files.readAllLines(log)) {
            for (Map.Entry<String, String> m : MILESTONES.entrySet()) {
                // the last start-up pass is the one that could write; of the others, the first
                boolean last = m.getValue().equals("start_up_pass");
                if (line.contains(m.getKey()) && (last || !at.containsKey(m.getValue())) && line.length() > 23) {
                    if (last) {
                        System.out.println("  " + line.substring(line.indexOf("start-up pass")));
                    }
                    long t = LocalDateTime.parse(line.substring(0, 23), LOG_TIME).atZone(ZoneId.systemDefault())
                            .toInstant().toEpochMilli();
                    at.put(m.getValue(), (double) (t - launchedWall));
                }
            }
        }
        Map<String, Double> ordered = new LinkedHashMap<>();
        MILESTONES.values().forEach(stage -> {
            if (at.containsKey(stage)) {
                ordered.put(stage, at.get(stage));
            }
        });
        ordered.put("last_key", Stats.round(totalMs));
        return ordered;
    }
}
