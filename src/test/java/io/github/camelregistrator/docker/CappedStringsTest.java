package io.github.camelregistrator.docker;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Event;
import io.github.camelregistrator.service.LargeValues;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CappedStringsTest {
    private static final ObjectMapper JSON = CappedStrings.mapper();
    private static final String BIG = "x".repeat(1 << 20);

    @Test
    void valuesOverTheLimitAreReadAsMarkersInInspectAnswersAndEvents() throws Exception {
        InspectContainerResponse inspect = JSON.readValue("{\"Id\":\"c1\",\"Config\":{\"Labels\":{\"blob\":\"" + BIG
                + "\",\"SERVICE_NAME\":\"web\"},\"Env\":[\"A=" + BIG + "\",\"B=1\"]}}", InspectContainerResponse.class);
        assertEquals(LargeValues.marker(1 << 20), inspect.getConfig().getLabels().get("blob"));
        assertEquals(1 << 20, LargeValues.length(inspect.getConfig().getLabels().get("blob")));
        assertEquals("web", inspect.getConfig().getLabels().get("SERVICE_NAME"));
        assertEquals(List.of(LargeValues.marker((1 << 20) + 2), "B=1"), List.of(inspect.getConfig().getEnv()));

        Event event = JSON.readValue("{\"Type\":\"container\",\"Action\":\"start\",\"id\":\"c1\",\"Actor\":{\"ID\":\"c1\","
                + "\"Attributes\":{\"name\":\"web\",\"blob\":\"" + BIG + "\"}}}", Event.class);
        assertEquals("web", event.getActor().getAttributes().get("name"));
        assertEquals(LargeValues.marker(1 << 20), event.getActor().getAttributes().get("blob"));
        // a value at the limit is kept whole
        String edge = "y".repeat(LargeValues.LIMIT);
        assertEquals(edge, JSON.readValue("\"" + edge + "\"", String.class));
    }
}
