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
    void aRoutesFolderInTheWorkingDirectoryIsListed() {
        // the tests run in the project's root, which has routes/
        String pattern = RouteFiles.find().includePattern(Set.of("registrator"));
        assertTrue(pattern.startsWith("file:routes/checks.yaml,file:routes/errors.yaml,file:routes/events.yaml,"), pattern);
        assertTrue(pattern.contains("file:routes/layout-registrator.yaml") && !pattern.contains("layout-skydns"), pattern);
        assertTrue(pattern.contains("file:routes/reconcile.yaml") && !pattern.contains("*"), pattern);
    }
}
