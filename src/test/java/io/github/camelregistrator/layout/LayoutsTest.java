package io.github.camelregistrator.layout;

import io.github.camelregistrator.service.BadMetadataException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LayoutsTest {
    @Test
    void keysMustStayUnderTheLayoutPrefix() {
        assertDoesNotThrow(() -> Layouts.check("r", "/services", new Entry("/services/a/b", "v")));
        for (String bad : new String[] {"/servicesX/a", "/services/", "/other/a", "/services/../x", "/services/a//b",
                "/services/a/./b", "/services/a\nb", "/services/a\u0000"}) {
            assertThrows(BadMetadataException.class, () -> Layouts.check("r", "/services", new Entry(bad, "v")), bad);
        }
        assertThrows(BadMetadataException.class, () -> Layouts.check("r", "/services", new Entry("/services/a", null)));
    }
}
