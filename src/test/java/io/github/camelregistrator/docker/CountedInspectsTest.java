package io.github.camelregistrator.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.transport.DockerHttpClient.Request;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CountedInspectsTest {
    @ParameterizedTest
    @CsvSource({
            "GET, /containers/abc123/json, true",
            "GET, /v1.41/containers/abc123/json, true",
            "GET, /v1.41/containers/abc123/json?size=false, true",
            "GET, /containers/json?all=true, false",
            "GET, /v1.41/containers/json, false",
            "GET, /containers/abc123/stats, false",
            "POST, /containers/abc123/start, false",
            "GET, /events?filters=x, false",
            "GET, /networks/abc/json, false",
    })
    void countsOnlyContainerInspects(String method, String path, boolean inspect) {
        Request r = Request.builder().method(Request.Method.valueOf(method)).path(path).build();
        assertEquals(inspect, CountedInspects.isInspect(r));
    }
}
