package io.github.camelregistrator.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;

/**
 * etcd as a plain process on loopback ports, so that the faults a test injects are the real
 * ones: kill -9 and a start again on the same address (same data: a restart; a new data dir: a
 * brand-new etcd), or SIGSTOP and SIGCONT. Each start records when etcd logged that it is ready
 * to serve: the moment a recovery is timed from, not the test client's first answer.
 */
public final class EtcdProcess implements AutoCloseable {
    /** Debian's etcd-server by default (scripts/setup-host.sh installs it). */
    static final String BINARY = System.getenv().getOrDefault("IT_ETCD_BINARY", "etcd");

    private final int port = Etcd.freePort();
    private final int peer = Etcd.freePort();
    private final Path root;
    private final Path log;
    private Path data;
    private Process process;
    private Client client;
    private int generation;

    public EtcdProcess() throws IOException {
        root = Files.createTempDirectory("etcd-process");
        log = root.resolve("etcd.log");
        data = root.resolve("data-0");
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Starts etcd on its address with its current data dir.
     *
     * @return System.nanoTime() when etcd logged "ready to serve client requests"
     */
    public long start() throws Exception {
        List<String> cmd = List.of(BINARY, "--name", "proc", "--data-dir", data.toString(),
                "--listen-client-urls", endpoint(), "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "proc=http://127.0.0.1:" + peer,
                // a new member of the same name and URLs: the same cluster id, as a restore would give
                "--initial-cluster-token", "it");
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Long> ready = new CompletableFuture<>();
        Process mine = process;
        Thread reader = new Thread(() -> follow(mine, ready), "etcd-log");
        reader.setDaemon(true);
        reader.start();
        try {
            return ready.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("etcd did not become ready: " + Files.readString(log), e);
        }
    }

    /** Time-stamps etcd's readiness as its line is printed, and keeps the whole log. */
    private void follow(Process p, CompletableFuture<Long> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!ready.isDone() && (line.contains("ready to serve client requests")
                        || line.contains("serving client traffic"))) {
                    ready.complete(System.nanoTime());
                }
                out.println(line);
            }
        } catch (IOException e) {
            // killed: its output ended with it
        } finally {
            ready.completeExceptionally(new IllegalStateException("etcd exited"));
        }
    }

    /** kill -9: no goodbye to any client. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
            closeClient();
        }
    }

    /** kill -9, then a brand-new etcd (empty, revision 1) on the same address. */
    public long replace() throws Exception {
        kill();
        data = root.resolve("data-" + ++generation);
        return start();
    }

    /** SIGSTOP: connections stay open and nothing answers. */
    public void pause() throws Exception {
        signal("STOP");
    }

    /** SIGCONT. @return System.nanoTime() when it was resumed */
    public long resume() throws Exception {
        signal("CONT");
        return System.nanoTime();
    }

    private void signal(String name) throws Exception {
        new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
    }

    /** A client of the test's own, made anew after each fault so that none of its backoff counts. */
    public synchronized Client client() {
        if (client == null) {
            client = Client.builder().endpoints(endpoint()).keepaliveWithoutCalls(false).build();
        }
        return client;
    }

    public synchronized void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    public void close() throws Exception {
        kill();
    }
}
