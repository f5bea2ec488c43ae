package io.github.camelregistrator.service;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NamesTest {

    @Test
    void containerNameLosesDockersLeadingSlashOnly() {
        assertEquals("web", Names.containerName("/web"));
        assertEquals("web", Names.containerName("web"));
        assertEquals("/web", Names.containerName("//web"));
        assertEquals("", Names.containerName("/"));
    }
}
