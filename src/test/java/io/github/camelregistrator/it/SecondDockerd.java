package io.github.camelregistrator.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second Docker engine that belongs to one test: its own socket, data-root, exec-root,
 * pidfile and bridge, so that restarting it touches nothing else (infrastructure.md).
 */
final class SecondDockerd implements AutoCloseable {
    private final String bridge;
    private final Path dir;
    private final List<String> extra;
    private Process process;

    SecondDockerd() throws Exception {
        this("br-regit", "172.31.250.1/24", List.of());
    }

    /**
     * @param bridge a bridge of its own, with its own subnet
     * @param extra  more dockerd flags, e.g. a TLS-verified TCP listener
     */
    SecondDockerd(String bridge, String subnet, List<String> extra) throws Exception {
        this.bridge = bridge;
        this.extra = extra;
        dir = Files.createTempDirectory("dockerd-it");
        sh("ip link del " + bridge + " 2>/dev/null; ip link add " + bridge + " type bridge && "
                + "ip addr add " + subnet + " dev " + bridge + " && ip link set " + bridge + " up");
        start();
        // the workload image, from the main engine, as no registry is reachable
        sh("docker save " + Workloads.IMAGE + " | docker -H " + host() + " load >/dev/null");
    }

    String host() {
        return "unix://" + dir.resolve("docker.sock");
    }

    void start() throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("dockerd", "--host", host(), "--data-root",
                dir.resolve("data").toString(), "--exec-root", dir.resolve("exec").toString(), "--pidfile",
                dir.resolve("docker.pid").toString(), "--bridge", bridge, "--iptables=false", "--ip-masq=false"));
        cmd.addAll(extra);
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!docker("info").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        if (!docker("info").isEmpty()) {
            throw new IllegalStateException("second dockerd did not start:\n" + Files.readString(dir.resolve("dockerd.log")));
        }
    }

    /** Stops the engine as a restart would (SIGTERM), waiting until it is gone. */
    void stop() throws Exception {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Runs a docker command against this engine; returns "" on success, else its output. */
    String docker(String args) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "docker -H " + host() + " " + args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        return p.waitFor() == 0 ? "" : out;
    }

    /** Runs a docker command against this engine and returns what it printed. */
    String output(String args) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "docker -H " + host() + " " + args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("docker " + args + ": " + out);
        }
        return out;
    }

    /**
     * The host port of a container's first binding of {@code port}, the one a registrator advertises.
     * {@code docker port} lists the IPv6 binding after it, and Docker 20.10 may publish that on
     * another host port.
     */
    String firstPublishedPort(String container, String port) throws Exception {
        String first = output("port " + container + " " + port).lines().findFirst().orElse("");
        return first.replaceAll(".*:(\\d+)$", "$1");
    }

    private static void sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + ": " + out);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            docker("rm -f $(docker -H " + host() + " ps -aq) >/dev/null 2>&1");
            stop();
        } finally {
            sh("ip link del " + bridge + " 2>/dev/null; rm -rf " + dir + " 2>/dev/null; true");
        }
    }

    static boolean available() {
        return new File("/usr/sbin/dockerd").canExecute() || new File("/usr/bin/dockerd").canExecute();
    }
}
