package io.github.camelregistrator.service;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static io.github.camelregistrator.service.ServiceMapperTest.inspect;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** registrator.names as Havok's -names (Go's regexp.MatchString): the pattern is found anywhere in the name. */
class NameFilterTest {

    private static boolean registered(String pattern, String name) throws Exception {
        ServiceMapper m = new ServiceMapper(new ServiceMapper.Options("h", "10.0.0.5", false, false,
                Pattern.compile(pattern), List.of(), null, false, false));
        ContainerServices s = m.map(inspect(name, "nginx", Map.of(), List.of(), "80/tcp=1"));
        if (s.services().isEmpty()) {
            assertEquals(Skip.Kind.NAME_FILTER, s.skip().kind(), pattern + " on " + name);
        }
        return !s.services().isEmpty();
    }

    @Test
    void thePatternIsFoundAnywhereUnlessAnchored() throws Exception {
        // pattern, name, registered
        Object[][] table = {
            {"^web", "web-1", true},
            {"^web", "xweb-1", false},
            {"web", "xweb-1", true},
            {"web", "db-1", false},
            {"^web$", "web", true},
            {"^web$", "web-1", false},
            {"-1$", "web-1", true},
            {"-1$", "web-10", false},
            {"web.*", "xweb-1", true},
            {"^(?!filtered-)", "filtered-1", false},
            {"^(?!filtered-)", "web-1", true},
        };
        for (Object[] row : table) {
            assertEquals(row[2], registered((String) row[0], (String) row[1]), row[0] + " on " + row[1]);
        }
    }
}
