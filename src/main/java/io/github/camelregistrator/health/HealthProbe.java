package io.github.camelregistrator.health;

import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The container image's HEALTHCHECK: exits 0 when the registrator answers UP on
 * /observe/health/ready, 1 otherwise. Plain JDK, since a small JRE image has no curl.
 */
public final class HealthProbe {
    private HealthProbe() {
    }

    public static void main(String[] args) {
        String port = System.getenv().getOrDefault("REGISTRATOR_HTTP_PORT", "9712");
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/observe/health/ready")
                    .toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(3000);
            System.exit(c.getResponseCode() == 200 ? 0 : 1);
        } catch (Exception e) {
            System.exit(1);
        }
    }
}
