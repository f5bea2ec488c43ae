package io.github.camelregistrator.etcd;

import java.util.List;

import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EtcdClientsTest {

    /** Fails when a jetcd upgrade moves the channel: reconnecting after an outage would then be slow again. */
    @Test
    void theShippedJetcdLetsTheChannelBackoffBeReset() {
        Client client = EtcdClients.create(List.of("http://127.0.0.1:1"), null, null, 500, null);
        try {
            assertTrue(EtcdClients.resetConnectBackoff(client));
        } finally {
            client.close();
        }
    }

    /** jetcd speaks cleartext HTTP/2 whenever it gets no SslContext, whatever the endpoint's scheme. */
    @Test
    void httpsEndpointsGetTlsEvenWithoutFiles() throws Exception {
        var tls = EtcdClients.tls(List.of("https://etcd-1:2379", "https://etcd-2:2379"), null, null, null);
        assertNotNull(tls);
        assertTrue(tls.isClient());
        assertNull(EtcdClients.tls(List.of("http://etcd-1:2379"), null, null, null));
    }
}
