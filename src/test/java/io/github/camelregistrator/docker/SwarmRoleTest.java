package io.github.camelregistrator.docker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Info;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which engines can list swarm services, from {@code docker info}'s Swarm part. */
class SwarmRoleTest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static String refusal(String swarmJson) throws Exception {
        return SwarmRole.refusal(JSON.readValue("{\"Swarm\":" + swarmJson + "}", Info.class).getSwarm());
    }

    @Test
    void onlyAnActiveManagerListsServices() throws Exception {
        // docker info's Swarm, and the start of the refusal (null: a manager)
        String[][] table = {
            {"{\"LocalNodeState\":\"active\",\"ControlAvailable\":true}", null},
            {"{\"LocalNodeState\":\"active\",\"ControlAvailable\":false}", "this node is a swarm worker"},
            {"{\"LocalNodeState\":\"inactive\",\"ControlAvailable\":false}", "this Docker engine is not in swarm mode (swarm: inactive)"},
            {"{\"LocalNodeState\":\"pending\"}", "this Docker engine is not in swarm mode (swarm: pending)"},
            {"{\"LocalNodeState\":\"locked\",\"ControlAvailable\":true}", "this Docker engine is not in swarm mode (swarm: locked)"},
            {"null", "this Docker engine is not in swarm mode (swarm: inactive)"},
        };
        for (String[] row : table) {
            String r = refusal(row[0]);
            assertEquals(row[1], r == null ? null : r.substring(0, Math.min(r.length(), row[1].length())), row[0]);
        }
    }
}
