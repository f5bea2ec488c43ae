package io.github.camelregistrator.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scripts/run-local.sh as a newcomer runs it, its output going to a file: it says that it started
 * etcd and how to stop it, and prints nothing else of its own (no java -version, no image sizes,
 * no colour codes) when nothing is built.
 */
class RunLocalIT {
    private static String run(Map<String, String> env) throws Exception {
        Path out = Files.createTempFile("run-local", ".out");
        ProcessBuilder pb = new ProcessBuilder("bash", "scripts/run-local.sh", "--version").directory(new File("."))
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "run-local.sh did not end: " + Files.readString(out));
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), text);
        return text;
    }

    @Test
    void itSaysWhatItStartedAndHowToStopItAndNothingElse() throws Exception {
        int port = Etcd.freePort();
        Map<String, String> env = Map.of("ETCD_PORT", String.valueOf(port), "ETCD_PEER_PORT", String.valueOf(Etcd.freePort()));
        String first = run(env);
        Matcher stop = Pattern.compile("stop it with: kill (\\d+)").matcher(first);
        assertTrue(stop.find(), first);
        long pid = Long.parseLong(stop.group(1));
        try {
            List<String> lines = first.lines().toList();
            assertEquals(3, lines.size(), first);
            assertTrue(lines.get(0).startsWith("started etcd on 127.0.0.1:" + port + " "), first);
            assertTrue(lines.get(2).startsWith("camel-registrator "), first);
            assertTrue(first.chars().noneMatch(c -> c == 0x1b), "colour codes in:\n" + first);
            // a second run finds that etcd and starts none
            assertEquals(List.of("using the etcd already answering on 127.0.0.1:" + port), run(env).lines().limit(1).toList());
        } finally {
            ProcessHandle.of(pid).ifPresent(etcd -> {
                etcd.destroy();
                etcd.onExit().join();
            });
            // its data directory, log and pid file
            for (String suffix : List.of(".log", ".pid")) {
                Files.deleteIfExists(Path.of("/tmp/registrator-etcd-" + port + suffix));
            }
            try (var files = Files.walk(Path.of("/tmp/registrator-etcd-" + port))) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
