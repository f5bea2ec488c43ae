package io.github.camelregistrator.config;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The route files: {@code ./routes/*.yaml} when that folder exists, else those packed in the
 * jar. Camel gets them named one by one: with a wildcard it scans every entry of the fat jar,
 * which cost 1–2 s of start-up. The layouts not selected are left out, as building their
 * routes would only cost start-up time.
 */
final class RouteFiles {
    private static final Pattern LAYOUT_ROUTE = Pattern.compile("layout-([^/]+)\\.yaml");

    private final String scheme;
    private final List<String> names;

    RouteFiles(String scheme, List<String> names) {
        this.scheme = scheme;
        this.names = names;
    }

    /** @throws IllegalArgumentException with the one line to print when the routes cannot be listed */
    static RouteFiles find() {
        try {
            if (Files.isDirectory(Path.of("routes"))) {
                return new RouteFiles("file:", list(Path.of("routes")));
            }
            Path code = Path.of(RouteFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(code)) {
                // classes on disk, as in the tests
                return new RouteFiles("classpath:", list(code.resolve("routes")));
            }
            try (JarFile jar = new JarFile(code.toFile())) {
                return new RouteFiles("classpath:", jar.stream().map(e -> e.getName())
                        .filter(n -> n.startsWith("routes/") && n.indexOf('/', "routes/".length()) < 0 && n.endsWith(".yaml"))
                        .map(n -> n.substring("routes/".length())).sorted().collect(Collectors.toList()));
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalArgumentException("routes: cannot list the route files: " + e.getMessage());
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted()
                    .collect(Collectors.toList());
        }
    }

    /** The layouts that have a route file, routes/layout-&lt;name&gt;.yaml. */
    Set<String> layouts() {
        Set<String> layouts = new TreeSet<>();
        for (String name : names) {
            Matcher m = LAYOUT_ROUTE.matcher(name);
            if (m.matches()) {
                layouts.add(m.group(1));
            }
        }
        return layouts;
    }

    /** Camel's routes include pattern: every file but the layouts not in active, comma-separated. */
    String includePattern(Set<String> active) {
        return names.stream().filter(n -> {
            Matcher m = LAYOUT_ROUTE.matcher(n);
            return !m.matches() || active.contains(m.group(1));
        }).map(n -> scheme + "routes/" + n).collect(Collectors.joining(","));
    }
}
