package io.github.camelregistrator.config;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The route files: those packed in the jar, each replaced by a file of the same name in
 * {@code ./routes/}, which may also add files (an own {@code layout-<name>.yaml} alone is
 * enough). Camel gets them named one by one: with a wildcard it scans every entry of the fat
 * jar, which cost 1–2 s of start-up. The layouts not selected are left out, as building their
 * routes would only cost start-up time.
 */
final class RouteFiles {
    /** The routes without which a registrator starts and does nothing. */
    static final List<String> MAIN = List.of("errors.yaml", "events.yaml", "observe.yaml", "reconcile.yaml", "watch.yaml");
    private static final Pattern LAYOUT_ROUTE = Pattern.compile("layout-([^/]+)\\.yaml");

    /** File name to its URI for Camel, sorted by name. */
    private final Map<String, String> files;

    RouteFiles(Map<String, String> files) {
        this.files = new TreeMap<>(files);
    }

    /** Every name under one scheme. */
    RouteFiles(String scheme, List<String> names) {
        this(names.stream().collect(Collectors.toMap(n -> n, n -> scheme + "routes/" + n)));
    }

    /** @throws IllegalArgumentException with the one line to print when the routes cannot be listed or cannot run */
    static RouteFiles find() {
        Map<String, String> files = new TreeMap<>();
        try {
            Path code = Path.of(RouteFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(code)) {
                // classes on disk, as in the tests
                list(code.resolve("routes")).forEach(n -> files.put(n, "classpath:routes/" + n));
            } else {
                try (JarFile jar = new JarFile(code.toFile())) {
                    jar.stream().map(e -> e.getName())
                            .filter(n -> n.startsWith("routes/") && n.indexOf('/', "routes/".length()) < 0 && n.endsWith(".yaml"))
                            .forEach(n -> files.put(n.substring("routes/".length()), "classpath:" + n));
                }
            }
            if (Files.isDirectory(Path.of("routes"))) {
                list(Path.of("routes")).forEach(n -> files.put(n, "file:routes/" + n));
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalArgumentException("routes: cannot list the route files: " + e.getMessage());
        }
        RouteFiles found = new RouteFiles(files);
        found.check();
        return found;
    }

    private static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted()
                    .collect(Collectors.toList());
        }
    }

    /** @throws IllegalArgumentException naming the main routes that are missing */
    void check() {
        List<String> missing = MAIN.stream().filter(n -> !files.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("routes: missing " + String.join(", ", missing)
                    + " (a registrator needs " + String.join(", ", MAIN) + "; ./routes/ need hold only the files it adds or changes)");
        }
    }

    /** The layouts that have a route file, routes/layout-&lt;name&gt;.yaml. */
    Set<String> layouts() {
        Set<String> layouts = new TreeSet<>();
        for (String name : files.keySet()) {
            Matcher m = LAYOUT_ROUTE.matcher(name);
            if (m.matches()) {
                layouts.add(m.group(1));
            }
        }
        return layouts;
    }

    /** Camel's routes include pattern: every file but the layouts not in active, comma-separated. */
    String includePattern(Set<String> active) {
        return files.entrySet().stream().filter(f -> {
            Matcher m = LAYOUT_ROUTE.matcher(f.getKey());
            return !m.matches() || active.contains(m.group(1));
        }).map(Map.Entry::getValue).collect(Collectors.joining(","));
    }

    /** What explain runs: the layouts and the error handling, no event, watch or HTTP route. */
    String layoutsOnlyPattern() {
        return files.entrySet().stream().filter(f -> LAYOUT_ROUTE.matcher(f.getKey()).matches() || f.getKey().equals("errors.yaml"))
                .map(Map.Entry::getValue).collect(Collectors.joining(","));
    }
}
