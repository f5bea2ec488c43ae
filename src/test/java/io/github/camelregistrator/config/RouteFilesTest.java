package io.github.camelregistrator.config;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteFilesTest {
    private final RouteFiles files = new RouteFiles("classpath:",
            List.of("errors.yaml", "events.yaml", "layout-registrator.yaml", "layout-skydns.yaml", "layout-my-own.yaml",
                    "watch.yaml"));

    @Test
    void layoutsAreTheLayoutFiles() {
        assertEquals(Set.of("registrator", "skydns", "my-own"), files.layouts());
    }

    @Test
    void camelGetsEveryFileByNameButTheLayoutsNotSelected() {
        assertEquals("classpath:routes/errors.yaml,classpath:routes/events.yaml,classpath:routes/layout-my-own.yaml,"
                + "classpath:routes/watch.yaml", files.includePattern(Set.of("my-own")));
        assertEquals("classpath:routes/errors.yaml,classpath:routes/events.yaml,classpath:routes/layout-registrator.yaml,"
                + "classpath:routes/layout-skydns.yaml,classpath:routes/watch.yaml", files.includePattern(Set.of("registrator", "skydns")));
    }

    @Test
    void aFileOfTheWorkingDirectoryReplacesThePackedOneOfItsNameAndAnOwnLayoutAdds() {
        java.util.Map<String, String> files = new java.util.HashMap<>();
        RouteFiles.MAIN.forEach(n -> files.put(n, "classpath:routes/" + n));
        files.put("layout-registrator.yaml", "classpath:routes/layout-registrator.yaml");
        files.put("events.yaml", "file:routes/events.yaml");
        files.put("layout-mine.yaml", "file:routes/layout-mine.yaml");
        RouteFiles overlaid = new RouteFiles(files);
        overlaid.check();
        assertEquals(Set.of("registrator", "mine"), overlaid.layouts());
        assertEquals("classpath:routes/errors.yaml,file:routes/events.yaml,file:routes/layout-mine.yaml,"
                + "classpath:routes/observe.yaml,classpath:routes/reconcile.yaml,classpath:routes/watch.yaml",
                overlaid.includePattern(Set.of("mine")));
        assertEquals("classpath:routes/errors.yaml,file:routes/layout-mine.yaml,classpath:routes/layout-registrator.yaml",
                overlaid.layoutsOnlyPattern());
    }

    @Test
    void routesThatCannotRunNameWhatIsMissing() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                files::check);
        assertEquals("routes: missing observe.yaml, reconcile.yaml (a registrator needs errors.yaml, events.yaml,"
                + " observe.yaml, reconcile.yaml, watch.yaml; ./routes/ need hold only the files it adds or changes)",
                e.getMessage());
    }

    @Test
    void aRoutesFolderInTheWorkingDirectoryIsListed() {
        // the tests run in the project's root, which has routes/
        String pattern = RouteFiles.find().includePattern(Set.of("registrator"));
        assertTrue(pattern.startsWith("file:routes/checks.yaml,file:routes/errors.yaml,file:routes/events.yaml,"), pattern);
        assertTrue(pattern.contains("file:routes/layout-registrator.yaml") && !pattern.contains("layout-skydns"), pattern);
        assertTrue(pattern.contains("file:routes/reconcile.yaml") && !pattern.contains("*"), pattern);
    }
}
