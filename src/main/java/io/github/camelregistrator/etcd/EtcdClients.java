package io.github.camelregistrator.etcd;

import java.time.Duration;
import java.util.List;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;

/** The one jetcd client of the process. */
public final class EtcdClients {
    private EtcdClients() {
    }

    /**
     * Fails fast instead of waiting for a connection (jetcd's default waits without bound
     * while etcd is down); every call also gets a deadline in {@link Registry}.
     */
    public static Client create(List<String> endpoints, String user, String password, long timeoutMs) {
        ClientBuilder builder = Client.builder()
                .endpoints(endpoints.toArray(String[]::new))
                .waitForReady(false)
                .connectTimeout(Duration.ofMillis(timeoutMs))
                // jetcd's own retries stay within one deadline (its max duration must exceed its delay)
                .retryChronoUnit(java.time.temporal.ChronoUnit.MILLIS)
                .retryDelay(20)
                .retryMaxDelay(Math.max(40, timeoutMs / 4))
                .retryMaxDuration(Duration.ofMillis(timeoutMs))
                .keepaliveTime(Duration.ofSeconds(10))
                .keepaliveTimeout(Duration.ofSeconds(3));
        if (user != null) {
            builder.user(Registry.bytes(user)).password(Registry.bytes(password == null ? "" : password));
        }
        return builder.build();
    }
}
