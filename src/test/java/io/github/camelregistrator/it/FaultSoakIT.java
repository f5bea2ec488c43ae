package io.github.camelregistrator.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

/**
 * A seeded, randomised soak: containers start, stop and vanish while etcd is killed and started
 * again, paused, or replaced by an empty one, the registrator (the jar) is killed -9 and started
 * again, and its keys are deleted or rewritten by hand, also while it is down. At every quiet
 * point etcd must hold exactly the running containers' keys, each on the registrator's lease
 * (the one its host record names), within 3 s. {@code -Dsoak.seconds} sets the length (60 in
 * the test run; bench/soak.sh runs 30 minutes), {@code -Dsoak.seed} replays a seed.
 */
class FaultSoakIT {
    private static final String HOST = "soak-it";
    private static final Duration QUIET = Duration.ofSeconds(3);
    private final Workloads workloads = new Workloads();
    private final List<Workload> running = new ArrayList<>();
    private final List<String> actions = new ArrayList<>();
    private final List<Long> exactMs = new ArrayList<>();
    private Random random;
    private EtcdProcess etcd;
    private JarRegistrator registrator;
    private Path dir;

    @Test
    void etcdHoldsExactlyWhatRunsAtEveryQuietPoint() throws Exception {
        long seconds = Long.getLong("soak.seconds", 60);
        long seed = Long.getLong("soak.seed", System.nanoTime());
        System.out.printf("fault soak: seed %d, %d s (replay: -Dsoak.seed=%d)%n", seed, seconds, seed);
        random = new Random(seed);
        dir = Files.createTempDirectory("soak");
        int quietPoints = 0;
        try (EtcdProcess e = new EtcdProcess()) {
            etcd = e;
            etcd.start();
            startRegistrator();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                for (int i = 0; i < 3; i++) {
                    act();
                }
                quietPoint(seed);
                quietPoints++;
            }
        } finally {
            if (registrator != null) {
                registrator.close();
            }
            workloads.close();
        }
        // a minute and more of one connection, idle at times: gRPC's pings must never draw etcd's GOAWAY
        String log = Files.readString(dir.resolve("registrator.log"));
        if (log.contains("too_many_pings")) {
            throw new AssertionError("etcd answered the registrator's pings with too_many_pings:\n" + log);
        }
        List<Long> sorted = exactMs.stream().sorted().toList();
        System.out.printf("fault soak: seed %d, %d quiet points, %d actions, no divergence; exact after a median %d ms,"
                + " at most %d ms%n", seed, quietPoints, actions.size(), sorted.get(sorted.size() / 2),
                sorted.get(sorted.size() - 1));
    }

    private void act() throws Exception {
        int pick = random.nextInt(100);
        if (pick < 25 || running.isEmpty()) {
            Workload w = workloads.start(Workloads.uniqueName("soak"), Map.of(), 80);
            running.add(w);
            log("start " + w.name());
        } else if (pick < 35) {
            Workload w = running.remove(random.nextInt(running.size()));
            workloads.kill(w);
            log("stop " + w.name());
        } else if (pick < 45) {
            Workload w = running.remove(random.nextInt(running.size()));
            workloads.remove(w);
            log("remove " + w.name());
        } else if (pick < 55) {
            etcd.kill();
            sleep(200 + random.nextInt(3000));
            etcd.start();
            log("etcd kill -9 and start");
        } else if (pick < 63) {
            etcd.pause();
            sleep(200 + random.nextInt(3000));
            etcd.resume();
            log("etcd pause and resume");
        } else if (pick < 68) {
            etcd.replace();
            log("etcd replaced by an empty one");
        } else if (pick < 80) {
            registrator.kill();
            log("registrator kill -9");
            // while it is down: hand edits, and maybe a container goes
            if (random.nextBoolean()) {
                handEdit();
            }
            if (random.nextBoolean() && !running.isEmpty()) {
                Workload w = running.remove(random.nextInt(running.size()));
                workloads.remove(w);
                log("remove " + w.name() + " while the registrator is down");
            }
            startRegistrator();
        } else {
            handEdit();
        }
    }

    /**
     * Deletes one of the keys the registrator wrote, or rewrites it without a lease, as etcdctl
     * would. (A key it never wrote is not its to remove: nothing tells it from another tool's.)
     */
    private void handEdit() throws Exception {
        Client c = etcd.client();
        List<String> written = new ArrayList<>();
        for (KeyValue kv : c.getKVClient().get(Etcd.bytes("/services/"), GetOption.builder().isPrefix(true).build())
                .get(5, TimeUnit.SECONDS).getKvs()) {
            if (kv.getLease() != 0) {
                written.add(kv.getKey().toString(StandardCharsets.UTF_8));
            }
        }
        if (written.isEmpty()) {
            return;
        }
        String key = written.get(random.nextInt(written.size()));
        if (random.nextBoolean()) {
            c.getKVClient().delete(Etcd.bytes(key)).get(5, TimeUnit.SECONDS);
            log("hand delete " + key);
        } else {
            c.getKVClient().put(Etcd.bytes(key), Etcd.bytes("10.66.66.66:1")).get(5, TimeUnit.SECONDS);
            log("hand rewrite " + key);
        }
    }

    private void startRegistrator() throws Exception {
        int from = Files.exists(dir.resolve("registrator.log")) ? Files.readString(dir.resolve("registrator.log")).length() : 0;
        registrator = JarRegistrator.start(dir, "--etcd-endpoints=" + etcd.endpoint(), "--host-id=" + HOST,
                "--advertise-ip=10.0.0.5", "--names=soak-.*", "--ttl=10", "--resync=300");
        // its first pass with a lease is where the 3 s begin: the JVM's own start is not what is measured
        Eventually.within(Duration.ofSeconds(60), () -> {
            try {
                String run = registrator.log().substring(from);
                int granted = run.indexOf("lease granted");
                if (granted < 0 || run.indexOf("start-up pass", granted) < 0) {
                    throw new AssertionError("registrator not started: " + run);
                }
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
        log("registrator started");
    }

    private void quietPoint(long seed) throws Exception {
        Map<String, String> expected = new TreeMap<>();
        for (Workload w : running) {
            expected.put(key(w), "10.0.0.5:" + w.hostPort(80));
        }
        etcd.closeClient();
        long deadline = System.nanoTime() + QUIET.toNanos();
        String difference;
        do {
            difference = difference(expected);
            if (difference.isEmpty()) {
                exactMs.add(QUIET.toMillis() - TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                return;
            }
            sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("seed " + seed + ": etcd not exact within " + QUIET + ": " + difference
                + "\nactions:\n" + String.join("\n", actions) + "\nregistrator log:\n" + registrator.log());
    }

    private String difference(Map<String, String> expected) {
        try {
            Client c = etcd.client();
            List<KeyValue> record = c.getKVClient().get(Etcd.bytes("/registrator/hosts/" + HOST)).get(1, TimeUnit.SECONDS)
                    .getKvs();
            if (record.isEmpty()) {
                return "no host record";
            }
            long lease = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(record.get(0).getValue().toString(StandardCharsets.UTF_8)).path("lease").asLong();
            Map<String, String> held = new TreeMap<>();
            for (KeyValue kv : c.getKVClient().get(Etcd.bytes("/services/"), GetOption.builder().isPrefix(true).build())
                    .get(1, TimeUnit.SECONDS).getKvs()) {
                String key = kv.getKey().toString(StandardCharsets.UTF_8);
                held.put(key, kv.getValue().toString(StandardCharsets.UTF_8));
                if (kv.getLease() != lease) {
                    return key + " on lease " + Long.toHexString(kv.getLease()) + ", not the recorded "
                            + Long.toHexString(lease);
                }
            }
            return held.equals(expected) ? "" : "holds " + held + ", expected " + expected;
        } catch (Exception e) {
            return "no answer: " + e;
        }
    }

    private static String key(Workload w) {
        return "/services/" + Workloads.SERVICE_NAME + "/" + HOST + ":" + w.name() + ":80";
    }

    private void log(String action) {
        actions.add(String.format("%tT.%<tL %s", System.currentTimeMillis(), action));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
