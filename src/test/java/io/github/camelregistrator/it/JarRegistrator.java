package io.github.camelregistrator.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The built jar run as a separate process, as an operator runs it: another host's registrator. */
public final class JarRegistrator implements AutoCloseable {
    static final String JAR = System.getProperty("registrator.jar", "target/camel-registrator.jar");
    private final Path dir;
    private final Process process;

    private JarRegistrator(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** Starts it in a fresh working directory (so the packed routes and properties are used). */
    public static JarRegistrator start(String... flags) throws IOException {
        return start(Files.createTempDirectory("registrator-jar"), flags);
    }

    public static JarRegistrator start(Path dir, String... flags) throws IOException {
        return start(dir, java.util.Map.of(), flags);
    }

    /** Started with more environment variables, e.g. DOCKER_HOST and its TLS settings. */
    public static JarRegistrator start(Path dir, java.util.Map<String, String> env, String... flags) throws IOException {
        return start(dir, env, List.of(), flags);
    }

    /** Started with JVM options, e.g. the image's heap limits. */
    public static JarRegistrator start(Path dir, java.util.Map<String, String> env, List<String> jvm, String... flags)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", new File(JAR).getAbsolutePath()));
        if (List.of(flags).stream().noneMatch(f -> f.startsWith("--http-"))) {
            // the in-JVM registrator of the same test may serve on the default port
            cmd.add("--http-enabled=false");
        }
        cmd.addAll(List.of(flags));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registrator.log").toFile()));
        pb.environment().putAll(env);
        return new JarRegistrator(dir, pb.start());
    }

    /** Runs the jar to completion: its exit code, a newline, and what it printed. */
    public static String run(String... flags) throws Exception {
        Run r = run(Path.of("."), java.util.Map.of(), flags);
        return r.exit() + "\n" + r.output();
    }

    /** A finished run: exit status, wall time from start to exit, and stdout and stderr together. */
    public record Run(int exit, long millis, String output) {
        public List<String> lines() {
            return output.lines().toList();
        }
    }

    /** Runs the jar to completion in a working directory, with more environment variables. */
    public static Run run(Path dir, java.util.Map<String, String> env, String... flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", new File(JAR).getAbsolutePath()));
        cmd.addAll(List.of(flags));
        // output to a file, so that a process that never exits cannot block the read
        Path log = Files.createTempFile("registrator-run", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("did not exit within 60 s: " + Files.readString(log));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Run(p.exitValue(), millis, Files.readString(log));
    }

    public Path dir() {
        return dir;
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("registrator.log"));
    }

    /** Waits until its log holds every fragment. */
    public void awaitLog(java.time.Duration timeout, String... fragments) {
        Eventually.within(timeout, () -> {
            try {
                String log = log();
                for (String f : fragments) {
                    if (!log.contains(f)) {
                        throw new AssertionError("no '" + f + "' in the log:\n" + log);
                    }
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    /** CPU time the process has used so far, in nanoseconds. */
    public long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().orElseThrow().toNanos();
    }

    /** kill -9. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, without waiting. */
    public void terminate() {
        process.destroy();
    }

    /** Its exit status, once it has exited. */
    public int exitValue() {
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public boolean waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
