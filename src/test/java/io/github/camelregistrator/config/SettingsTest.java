package io.github.camelregistrator.config;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {
    private final Map<String, String> props = new HashMap<>(Map.ofEntries(
            Map.entry("registrator.etcd-endpoints", "http://127.0.0.1:2379"),
            Map.entry("registrator.etcd-timeout", "2000"),
            Map.entry("registrator.docker-host", "unix:///var/run/docker.sock"),
            Map.entry("registrator.advertise-ip", "10.0.0.5"),
            Map.entry("registrator.host-id", "host1"),
            Map.entry("registrator.layouts", "registrator,docker-etcd-register"),
            Map.entry("registrator.prefix", "/services/"),
            Map.entry("registrator.docker-etcd-register.prefix", "/registered"),
            Map.entry("registrator.bookkeeping-prefix", "/registrator/"),
            Map.entry("registrator.ttl", "15"),
            Map.entry("registrator.resync", "30"),
            Map.entry("registrator.dry-run", "false"),
            Map.entry("registrator.explicit", "false"),
            Map.entry("registrator.internal", "false"),
            Map.entry("registrator.workers", "4"),
            Map.entry("registrator.require-healthy", "false"),
            Map.entry("registrator.deregister", "always"),
            Map.entry("registrator.log-level", "info"),
            Map.entry("registrator.swarm-services", "false"),
            Map.entry("registrator.http-enabled", "true"),
            Map.entry("registrator.http-port", "9712"),
            Map.entry("registrator.skydns.domain", "skydns.local"),
            Map.entry("registrator.skydns.dns-ttl", "30"),
            Map.entry("registrator.skydns.prefix", "/skydns"),
            Map.entry("registrator.etcd-password", "s3cret")));

    @Test
    void readsAndNormalises() {
        Settings s = Settings.from(props::get);
        assertEquals("/services", s.layouts().get("registrator"));
        assertEquals("/registrator/hosts/host1", s.hostKey());
        assertFalse(s.toString().contains("s3cret"));
        assertEquals(null, s.network());
        props.put("registrator.network", "back_end.1");
        assertEquals("back_end.1", Settings.from(props::get).network());
        assertFalse(s.swarmServices());
        props.put("registrator.swarm-services", "true");
        assertTrue(Settings.from(props::get).swarmServices());
        assertEquals("/registrator/swarm-services/", s.swarmMembers());
    }

    @Test
    void badValuesNameTheOption() {
        assertMessage("registrator.ttl", "registrator.ttl", "soon");
        assertMessage("registrator.ttl", "registrator.ttl", "1");
        assertMessage("registrator.dry-run", "registrator.dry-run", "yes");
        assertMessage("registrator.swarm-services", "registrator.swarm-services", "managers");
        assertMessage("registrator.etcd-endpoints", "registrator.etcd-endpoints", "etcd:2379");
        assertMessage("registrator.etcd-endpoints", "registrator.etcd-endpoints", "https://a:2379,http://b:2379");
        assertMessage("registrator.prefix", "registrator.prefix", "/a//b");
        assertMessage("registrator.prefix", "registrator.prefix", "/a/../b");
        assertMessage("registrator.deregister", "registrator.deregister", "sometimes");
        assertMessage("registrator.names", "registrator.names", "([a-z]");
        assertMessage("registrator.log-level", "registrator.log-level", "loud");
        props.put("registrator.layouts", "skydns");
        assertMessage("registrator.skydns.dns-ttl", "registrator.skydns.dns-ttl", "long");
        assertMessage("registrator.advertise-ip", "registrator.advertise-ip", "my-host");
        assertMessage("registrator.layouts", "registrator.layouts", "Bad Name");
        assertMessage("registrator.bookkeeping-prefix", "registrator.bookkeeping-prefix", "/services/meta");
    }

    /** The operator's one line: the option, the bad value as given, and what is expected. */
    @Test
    void aBadValueGetsOneLineWithTheOptionTheValueAndWhatIsExpected() {
        assertEquals("registrator.ttl: 'abc' is not a whole number of seconds (2 to 3600)", message("registrator.ttl", "abc"));
        assertEquals("registrator.resync: '-5' is not between 1 and 86400 seconds", message("registrator.resync", "-5"));
        assertEquals("registrator.resync: '0' is not between 1 and 86400 seconds", message("registrator.resync", "0"));
        assertEquals("registrator.etcd-timeout: '5s' is not a whole number of milliseconds (100 to 60000)",
                message("registrator.etcd-timeout", "5s"));
        assertEquals("registrator.etcd-endpoints: 'notaurl' is not an http(s)://host:port URL",
                message("registrator.etcd-endpoints", "notaurl"));
        assertEquals("registrator.http-port: '70000' is not between 1 and 65535", message("registrator.http-port", "70000"));
        assertEquals("registrator.network: 'my net' is not a Docker network name or id (letters, digits, '_', '.', '-')",
                message("registrator.network", "my net"));
        assertEquals("registrator.etcd-ca-file: cannot read '/no/such/ca.pem' (a readable PEM file is expected)",
                message("registrator.etcd-ca-file", "/no/such/ca.pem"));
        // a directory is readable, but no PEM file
        assertEquals("registrator.etcd-ca-file: cannot read '/' (a readable PEM file is expected)",
                message("registrator.etcd-ca-file", "/"));
        // a port is not checked when the server is off
        props.put("registrator.http-enabled", "false");
        props.put("registrator.http-port", "none");
        Settings.from(props::get);
    }

    @Test
    void anUnknownLayoutNamesTheLayoutsOptionAndTheLayoutsThereAre() {
        props.put("registrator.layouts", "registrator,nosuchlayout");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.from(props::get, java.util.Set.of("registrator", "skydns")));
        assertEquals("registrator.layouts: 'nosuchlayout' has no route routes/layout-nosuchlayout.yaml;"
                + " the layouts are registrator, skydns", e.getMessage());
    }

    @Test
    void anOwnLayoutWithoutItsPrefixNamesThePrefixOption() {
        props.put("registrator.layouts", "mine");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.from(props::get, java.util.Set.of("registrator", "mine")));
        assertEquals("registrator.mine.prefix: empty, but layout mine needs a key prefix like /mine", e.getMessage());
        props.put("registrator.mine.prefix", "/mine");
        assertEquals("/mine", Settings.from(props::get, java.util.Set.of("mine")).layouts().get("mine"));
    }

    private String message(String option, String value) {
        props.put(option, value);
        try {
            return assertThrows(IllegalArgumentException.class, () -> Settings.from(props::get)).getMessage();
        } finally {
            props.clear();
            new SettingsTest().props.forEach(props::put);
        }
    }

    private void assertMessage(String expected, String option, String value) {
        props.put(option, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Settings.from(props::get));
        assertTrue(e.getMessage().startsWith(expected + ":"), e.getMessage());
        props.clear();
        new SettingsTest().props.forEach(props::put);
    }
}
