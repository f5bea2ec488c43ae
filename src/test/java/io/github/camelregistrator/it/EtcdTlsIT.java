package io.github.camelregistrator.it;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static io.github.camelregistrator.it.SecureEtcd.PASSWORD;
import static io.github.camelregistrator.it.SecureEtcd.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * etcd over TLS that verifies the server, asks for a client certificate, and has
 * authentication on, with the registrator's user limited to its prefixes by a role.
 */
class EtcdTlsIT extends SecureEtcdTestSupport {
    @Override
    protected boolean clientCertificates() {
        return true;
    }

    @Override
    protected String[] secureOverrides() {
        return new String[] {"registrator.etcd-ca-file", etcd.file("ca.pem"),
                "registrator.etcd-cert-file", etcd.file("client.pem"),
                "registrator.etcd-key-file", etcd.file("client-key.pem"),
                "registrator.etcd-user", SecureEtcd.USER, "registrator.etcd-password", PASSWORD};
    }

    @Test
    void registersOverTlsWithItsOwnLimitedUserAndNeverLogsTheSecret() throws Exception {
        String name = Workloads.uniqueName("secure");
        Workload w = workloads.start(name, Map.of(), 80);
        String key = serviceKey(name);
        String value = IP + ":" + w.hostPort(80);
        Eventually.within(Duration.ofSeconds(15), () -> assertEquals(Map.of(key, value), Etcd.get(etcd.root, "/services/")));

        // the watch route reaches this etcd too: a deleted key comes back
        etcd.root.getKVClient().delete(b(key)).get(5, TimeUnit.SECONDS);
        Eventually.within(Duration.ofSeconds(2), () -> assertEquals(Map.of(key, value), Etcd.get(etcd.root, "/services/")));

        // the role really limits the user: outside its prefixes it may not write
        try (Client limited = Client.builder().endpoints(etcd.endpoint).user(b(SecureEtcd.USER)).password(b(PASSWORD))
                .sslContext(etcd.clientTls()).build()) {
            assertThrows(Exception.class, () -> limited.getKVClient().put(b("/elsewhere/x"), b("y")).get(5, TimeUnit.SECONDS));
        }
        // the password shows in no log line (and the capture does see the registrator's lines)
        assertTrue(log.count("lease granted") >= 1, log.lines().toString());
        assertEquals(0, log.count(PASSWORD));
        workloads.remove(w);
        Eventually.within(Duration.ofSeconds(10), () -> assertEquals(Map.of(), Etcd.get(etcd.root, "/services/")));
    }
}
