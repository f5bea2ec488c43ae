package io.github.camelregistrator.it;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static io.github.camelregistrator.it.SecureEtcd.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An https:// endpoint with a user and password and no CA file speaks TLS all the same,
 * verified by the JVM's default trust store, never cleartext HTTP/2 carrying the password.
 * This etcd asks for no client certificate, so no PEM file at all is given.
 */
class EtcdHttpsIT extends SecureEtcdTestSupport {
    @Override
    protected boolean clientCertificates() {
        return false;
    }

    @Override
    protected String[] secureOverrides() {
        return new String[] {"registrator.etcd-user", SecureEtcd.USER, "registrator.etcd-password", PASSWORD};
    }

    @Test
    void anUntrustedServerIsNotSpokenTo() throws Exception {
        workloads.start(Workloads.uniqueName("untrusted"), Map.of(), 80);
        // the test CA is not in this JVM's trust store: the handshake fails on the certificate
        assertReadinessReportsEtcdDown();
        Eventually.within(Duration.ofSeconds(10), () -> assertTrue(log.lines().stream().anyMatch(
                l -> l.startsWith("etcd unreachable") && l.contains("certification path")), log.lines().toString()));
        assertEquals(Map.of(), Etcd.get(etcd.root, "/"));
    }

    @Test
    void itRegistersOnceTheJvmTrustStoreHoldsTheCa() throws Exception {
        Workload w = workloads.start(Workloads.uniqueName("trusted"), Map.of(), 80);
        String key = "/services/" + Workloads.SERVICE_NAME + "/trust-host:" + w.name() + ":80";
        String jvm = "-Djavax.net.ssl.trustStore=" + etcd.trustStore() + " -Djavax.net.ssl.trustStorePassword=changeit";
        try (JarRegistrator jar = JarRegistrator.start(Files.createTempDirectory("registrator-jar"),
                Map.of("JAVA_TOOL_OPTIONS", jvm, "REGISTRATOR_ETCD_PASSWORD", PASSWORD),
                "--etcd-endpoints=" + etcd.endpoint, "--etcd-user=" + SecureEtcd.USER, "--host-id=trust-host",
                "--advertise-ip=10.0.0.8", "--layouts=registrator", "--ttl=5")) {
            // only the jar writes: this test JVM's registrator still does not trust the server
            Eventually.within(Duration.ofSeconds(30), () -> assertEquals(Map.of(key, "10.0.0.8:" + w.hostPort(80)),
                    Etcd.get(etcd.root, "/services/")));
        }
    }

    @Test
    void aPasswordOverHttpIsWarnedOnceAndMixedSchemesAreRefused() throws Exception {
        String out = JarRegistrator.run("--etcd-endpoints=http://127.0.0.1:1,https://127.0.0.1:2");
        assertTrue(!out.startsWith("0\n") && out.contains("registrator.etcd-endpoints: mixes http:// and https://"), out);

        try (JarRegistrator jar = JarRegistrator.start(Files.createTempDirectory("registrator-jar"),
                Map.of("REGISTRATOR_ETCD_PASSWORD", PASSWORD), "--etcd-endpoints=http://127.0.0.1:1",
                "--etcd-user=" + SecureEtcd.USER, "--host-id=cleartext-host", "--layouts=registrator")) {
            // start-up is over once the lease thread has failed
            jar.awaitLog(Duration.ofSeconds(30), "etcd unreachable");
            String lines = jar.log();
            assertEquals(1, lines.lines().filter(l -> l.contains("WARN  registrator - etcd password sent unencrypted")).count(),
                    lines);
            assertFalse(lines.contains(PASSWORD), lines);
        }
    }
}
