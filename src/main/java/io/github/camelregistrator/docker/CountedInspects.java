package io.github.camelregistrator.docker;

import java.util.regex.Pattern;

import com.github.dockerjava.transport.DockerHttpClient;

/**
 * A Docker transport that counts container inspects (GET /containers/{id}/json) as they go
 * out, whoever asks: the container-sync route's enrich, a full pass, a check's target, explain.
 */
final class CountedInspects implements DockerHttpClient {
    private static final Pattern INSPECT = Pattern.compile("^(/v[0-9.]+)?/containers/[^/]+/json(\\?.*)?$");

    private final DockerHttpClient http;
    private final Runnable counter;

    CountedInspects(DockerHttpClient http, Runnable counter) {
        this.http = http;
        this.counter = counter;
    }

    static boolean isInspect(Request request) {
        return "GET".equals(request.method()) && INSPECT.matcher(request.path()).matches();
    }

    @Override
    public Response execute(Request request) {
        if (isInspect(request)) {
            counter.run();
        }
        return http.execute(request);
    }

    @Override
    public void close() throws java.io.IOException {
        http.close();
    }
}
