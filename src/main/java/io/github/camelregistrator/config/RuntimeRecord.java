package io.github.camelregistrator.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Where this host's running registrator answers: each registrator process with its HTTP server
 * writes {@code <pid>.json} (pid, HTTP port, host-id, start time) into a runtime directory and
 * removes it when it exits, so that a plain {@code explain} finds it on whatever port it was
 * given, without knowing its etcd or host-id. A record whose process is gone is ignored.
 *
 * @param pid      the registrator's process id
 * @param httpPort its registrator.http-port
 * @param hostId   its host-id
 * @param started  when it started (ISO-8601)
 */
public record RuntimeRecord(long pid, int httpPort, String hostId, String started) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RUN = Path.of("/run/camel-registrator");

    /** /run/camel-registrator when it can be made and written (root, the image), else one under the temp directory. */
    public static Path directory() {
        try {
            Files.createDirectories(RUN);
            if (Files.isWritable(RUN)) {
                return RUN;
            }
        } catch (IOException | SecurityException notRoot) {
            // the fallback below
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "camel-registrator-" + System.getProperty("user.name"));
    }

    /**
     * Records this process. A record that cannot be written only costs explain its search.
     *
     * @return what removes the record
     */
    static Runnable write(int httpPort, String hostId) {
        try {
            Path dir = directory();
            Files.createDirectories(dir);
            prune(dir);
            long pid = ProcessHandle.current().pid();
            Path file = dir.resolve(pid + ".json");
            Path tmp = dir.resolve(pid + ".json.tmp");
            Files.write(tmp, JSON.writeValueAsBytes(new RuntimeRecord(pid, httpPort, hostId, Instant.now().toString())));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return () -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a stale record is ignored: its process is gone
                }
            };
        } catch (IOException | RuntimeException e) {
            // explain then asks the port its own options give
            return () -> { };
        }
    }

    /** Removes the records of processes that are gone (a kill -9 leaves its record behind). */
    private static void prune(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("\\d+\\.json")).toList()) {
                long pid = Long.parseLong(f.getFileName().toString().replace(".json", ""));
                if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** The records of registrators still running, the newest first. */
    public static List<RuntimeRecord> running(Path dir) {
        List<RuntimeRecord> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                try {
                    RuntimeRecord r = JSON.readValue(f.toFile(), RuntimeRecord.class);
                    if (ProcessHandle.of(r.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                        out.add(r);
                    }
                } catch (IOException | RuntimeException unreadable) {
                    // half-written or not ours: not a registrator to ask
                }
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(Comparator.comparing(RuntimeRecord::started).reversed());
        return out;
    }
}
