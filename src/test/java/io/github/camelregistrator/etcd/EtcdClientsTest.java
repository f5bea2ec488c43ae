package io.github.camelregistrator.etcd;

import java.util.List;

import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Test;

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
}
