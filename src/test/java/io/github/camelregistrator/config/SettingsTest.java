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
    }

    @Test
    void badValuesNameTheOption() {
        assertMessage("registrator.ttl", "registrator.ttl", "soon");
        assertMessage("registrator.ttl", "registrator.ttl", "1");
        assertMessage("registrator.dry-run", "registrator.dry-run", "yes");
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

    private void assertMessage(String expected, String option, String value) {
        props.put(option, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Settings.from(props::get));
        assertTrue(e.getMessage().startsWith(expected + ":"), e.getMessage());
        props.clear();
        new SettingsTest().props.forEach(props::put);
    }
}
