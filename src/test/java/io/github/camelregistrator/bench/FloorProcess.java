package io.github.camelregistrator.bench;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.camelregistrator.docker.DockerClients;
import io.github.camelregistrator.it.Workloads;

/**
 * The floor as a process of its own, run with the image's JVM options so that its CPU compares
 * with the jar's: the least a registrator can do, on the same Docker transport and etcd client.
 * Docker sends it start and die only; on start it inspects and puts, on die it deletes, one
 * event at a time on the stream's thread. Args: etcd endpoint, prefix, host id, advertise ip.
 */
public final class FloorProcess {
    private FloorProcess() {
    }

    public static void main(String[] args) throws Exception {
        String prefix = args[1];
        String host = args[2];
        String ip = args[3];
        String engine = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
        DockerClient docker = DockerClients.requests(engine, null);
        Client etcd = Client.builder().endpoints(args[0]).build();
        etcd.getKVClient().put(bytes(prefix + "/warm"), bytes("up")).get();
        etcd.getKVClient().delete(bytes(prefix + "/warm")).get();
        Map<String, String> keys = new HashMap<>();
        ResultCallback.Adapter<Event> stream = DockerClients.events(engine, null).eventsCmd()
                .withEventTypeFilter(EventType.CONTAINER).withEventFilter("start", "die")
                .exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Event e) {
                        try {
                            if ("start".equals(e.getAction())) {
                                InspectContainerResponse i = docker.inspectContainerCmd(e.getId()).exec();
                                Ports.Binding[] b = i.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(80));
                                if (b == null || b.length == 0) {
                                    return;
                                }
                                String key = prefix + "/" + Workloads.SERVICE_NAME + "/" + host + ":" + i.getName().substring(1) + ":80";
                                keys.put(e.getId(), key);
                                etcd.getKVClient().put(bytes(key), bytes(ip + ":" + b[0].getHostPortSpec())).get();
                            } else if ("die".equals(e.getAction()) && keys.containsKey(e.getId())) {
                                etcd.getKVClient().delete(bytes(keys.remove(e.getId()))).get();
                            }
                        } catch (Exception ex) {
                            System.err.println("floor: " + ex);
                        }
                    }
                });
        stream.awaitStarted(10, TimeUnit.SECONDS);
        System.out.println("floor ready");
        System.out.flush();
        stream.awaitCompletion();
    }

    /** The floor's process, launched from the bench with the image's JVM options (without its archive). */
    static final class Handle implements AutoCloseable {
        private final Process process;

        private Handle(Process process) {
            this.process = process;
        }

        long pid() {
            return process.pid();
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static Handle launch(String prefix) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("java"));
        Registrator.imageJvmOptions(Registrator.JAR).stream().filter(o -> !o.startsWith("-XX:SharedArchiveFile="))
                .forEach(cmd::add);
        cmd.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"), FloorProcess.class.getName(),
                io.github.camelregistrator.it.Etcd.endpoint(), prefix, Benchmark.HOST, Benchmark.IP));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
        String line;
        while ((line = out.readLine()) != null && !line.equals("floor ready")) {
            System.out.println("floor: " + line);
        }
        if (line == null) {
            throw new IllegalStateException("the floor process ended before it was ready");
        }
        // its output must keep draining, or it blocks on a full pipe
        Thread drain = new Thread(() -> out.lines().forEach(l -> {
        }));
        drain.setDaemon(true);
        drain.start();
        return new Handle(p);
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
