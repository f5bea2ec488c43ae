package io.github.camelregistrator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.etcd.jetcd.Client;
import io.github.camelregistrator.it.Workloads;

/**
 * Container lifecycles as an operator makes them: {@code docker run -p} (create, start), then
 * {@code docker rm -f}. Each is timed from the start event to the key's put, and from the die
 * event to its delete; the process that registers them is charged its CPU over the measured
 * ones, less what it spends idle over as long.
 */
final class Lifecycles {
    static final String LABEL = "camel-registrator-bench";

    /** What the measured lifecycles cost and how long they took to show in etcd. */
    record Result(Stats register, Stats deregister, double cpuMsPerLifecycle, double idleCpuPercent, double windowSeconds) {
    }

    private final DockerClient docker;
    private final Client etcd;
    private final Events events;

    Lifecycles(DockerClient docker, Client etcd, Events events) {
        this.docker = docker;
        this.etcd = etcd;
        this.events = events;
    }

    /**
     * @param pid       the process that registers (the jar or the floor)
     * @param idleMs    how long its idle CPU is measured, after the warm-up
     * @param atStart   called as the measured lifecycles begin
     */
    Result measure(String prefix, String tag, long pid, int warmup, int samples, long idleMs,
                   java.util.concurrent.Callable<Void> atStart) throws Exception {
        try (Keys keys = new Keys(etcd, prefix)) {
            for (int i = 0; i < warmup; i++) {
                one(keys, prefix, tag + "-w" + i, null, null);
            }
            Thread.sleep(1000);
            long idle0 = Proc.cpuTicks(pid);
            long idleT0 = System.nanoTime();
            Thread.sleep(idleMs);
            double idleTicksPerSecond = (Proc.cpuTicks(pid) - idle0) / ((System.nanoTime() - idleT0) / 1e9);

            Stats register = new Stats();
            Stats deregister = new Stats();
            atStart.call();
            long cpu0 = Proc.cpuTicks(pid);
            long t0 = System.nanoTime();
            for (int i = 0; i < samples; i++) {
                one(keys, prefix, tag + "-" + i, register, deregister);
            }
            // the last delete's own work (its log line, the watch's echo) ends within this
            Thread.sleep(200);
            double window = (System.nanoTime() - t0) / 1e9;
            double busyTicks = Proc.cpuTicks(pid) - cpu0 - idleTicksPerSecond * window;
            double cpuMs = busyTicks * 1000.0 / Proc.CLK_TCK / samples;
            return new Result(register, deregister, cpuMs, idleTicksPerSecond * 100.0 / Proc.CLK_TCK, window);
        }
    }

    private void one(Keys keys, String prefix, String name, Stats register, Stats deregister) throws Exception {
        String key = prefix + "/" + Workloads.SERVICE_NAME + "/" + Benchmark.HOST + ":" + name + ":80";
        String id = create(name);
        docker.startContainerCmd(id).exec();
        long put = keys.awaitPut(key, 10_000);
        long started = events.await(id, "start", 5_000);
        docker.removeContainerCmd(id).withForce(true).exec();
        long deleted = keys.awaitDelete(key, 10_000);
        long died = events.await(id, "die", 5_000);
        if (register != null) {
            register.add((put - started) / 1e6);
            deregister.add((deleted - died) / 1e6);
        }
        events.forget(id);
        keys.forget(key);
    }

    /** n more lifecycles, threads at a time, untimed: memory after many, not latency. */
    void many(String prefix, String tag, int n, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        try (Keys keys = new Keys(etcd, prefix)) {
            for (int i = 0; i < n; i++) {
                String name = tag + "-" + i;
                done.add(pool.submit(() -> {
                    String key = prefix + "/" + Workloads.SERVICE_NAME + "/" + Benchmark.HOST + ":" + name + ":80";
                    String id = create(name);
                    docker.startContainerCmd(id).exec();
                    keys.awaitPut(key, 30_000);
                    docker.removeContainerCmd(id).withForce(true).exec();
                    keys.awaitDelete(key, 30_000);
                    events.forget(id);
                    keys.forget(key);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    String create(String name) {
        return docker.createContainerCmd(Workloads.IMAGE).withName(name).withCmd("httpd", "-f", "-p", "80")
                .withExposedPorts(ExposedPort.tcp(80)).withLabels(Map.of(LABEL, "1"))
                .withHostConfig(HostConfig.newHostConfig()
                        .withPortBindings(new PortBinding(Ports.Binding.empty(), ExposedPort.tcp(80))))
                .exec().getId();
    }
}
