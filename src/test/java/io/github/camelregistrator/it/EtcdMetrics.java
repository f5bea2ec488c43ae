package io.github.camelregistrator.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What etcd counts of what it serves, from /metrics on its client port: with one client
 * connected, that client's load on etcd.
 */
public record EtcdMetrics(double requests, double sentBytes, double watchers, double watchStreams) {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public static EtcdMetrics read(String endpoint) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint + "/metrics")).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        double requests = 0;
        double sent = 0;
        double watchers = 0;
        double streams = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith("grpc_server_msg_received_total{")) {
                requests += v;
            } else if (line.startsWith("etcd_network_client_grpc_sent_bytes_total")) {
                sent += v;
            } else if (line.startsWith("etcd_debugging_mvcc_watcher_total")) {
                watchers = v;
            } else if (line.startsWith("etcd_debugging_mvcc_watch_stream_total")) {
                streams = v;
            }
        }
        return new EtcdMetrics(requests, sent, watchers, streams);
    }

    /** What happened since {@code before}: counters as differences, gauges as they are now. */
    public EtcdMetrics since(EtcdMetrics before) {
        return new EtcdMetrics(requests - before.requests, sentBytes - before.sentBytes, watchers, watchStreams);
    }
}
