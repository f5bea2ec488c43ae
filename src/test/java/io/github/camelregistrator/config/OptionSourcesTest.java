package io.github.camelregistrator.config;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Flags beat the environment, which beats ./application.properties, which beats the packed defaults. */
class OptionSourcesTest {
    private final Map<String, String> flags = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, String> file = new HashMap<>();
    private final Map<String, String> packed = new HashMap<>(Map.of("registrator.ttl", "15"));

    private String ttl() {
        OptionSources sources = new OptionSources(flags, env::get, file, packed);
        assertEquals(sources.value("registrator.ttl"), sources.known().get("registrator.ttl"));
        return sources.value("registrator.ttl");
    }

    @Test
    void theDefaultWhenNothingElseSetsIt() {
        assertEquals("15", ttl());
    }

    @Test
    void fileBeatsDefault() {
        file.put("registrator.ttl", "16");
        assertEquals("16", ttl());
    }

    @Test
    void environmentBeatsDefault() {
        env.put("REGISTRATOR_TTL", "17");
        assertEquals("17", ttl());
    }

    @Test
    void flagBeatsDefault() {
        flags.put("registrator.ttl", "18");
        assertEquals("18", ttl());
    }

    @Test
    void environmentBeatsFile() {
        file.put("registrator.ttl", "16");
        env.put("REGISTRATOR_TTL", "17");
        assertEquals("17", ttl());
    }

    @Test
    void flagBeatsFile() {
        file.put("registrator.ttl", "16");
        flags.put("registrator.ttl", "18");
        assertEquals("18", ttl());
    }

    @Test
    void flagBeatsEnvironmentEvenWhenTheFlagIsBad() {
        env.put("REGISTRATOR_TTL", "20");
        flags.put("registrator.ttl", "abc");
        assertEquals("abc", ttl());
    }

    @Test
    void aPartialFileKeepsTheOtherDefaults() {
        packed.put("registrator.resync", "30");
        file.put("registrator.ttl", "16");
        OptionSources sources = new OptionSources(flags, env::get, file, packed);
        assertEquals(Map.of("registrator.ttl", "16", "registrator.resync", "30"), sources.known());
    }

    @Test
    void environmentNamesTurnDotsAndDashesIntoUnderscores() {
        packed.put("registrator.etcd-endpoints", "http://127.0.0.1:2379");
        env.put("REGISTRATOR_ETCD_ENDPOINTS", "http://etcd:2379");
        env.put("REGISTRATOR_MINE_PREFIX", "/mine");
        OptionSources sources = new OptionSources(flags, env::get, file, packed);
        assertEquals("http://etcd:2379", sources.known().get("registrator.etcd-endpoints"));
        // an option no file names is still read from the environment
        assertEquals("/mine", sources.value("registrator.mine.prefix"));
        assertNull(sources.known().get("registrator.mine.prefix"));
    }
}
