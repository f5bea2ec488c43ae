package io.github.camelregistrator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The list entry's print: what may change a container's entries changes it, uptime does not. */
class ListedStateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    // one entry of GET /containers/json, as Docker 20.10 answers it
    private static final String BASE = """
            {"Id":"c1","Names":["/web-1"],"Image":"busybox","ImageID":"sha256:aa","Command":"httpd",
             "Created":1700000000,"State":"running","Status":"Up 5 minutes (healthy)",
             "Ports":[{"IP":"0.0.0.0","PrivatePort":80,"PublicPort":49153,"Type":"tcp"},
                      {"PrivatePort":443,"Type":"tcp"}],
             "Labels":{"SERVICE_NAME":"web","SERVICE_TAGS":"a,b"},
             "HostConfig":{"NetworkMode":"bridge"},
             "NetworkSettings":{"Networks":{"bridge":{"NetworkID":"n1","IPAddress":"172.17.0.2",
               "GlobalIPv6Address":"","MacAddress":"02:42:ac:11:00:02","Aliases":null}}},
             "Mounts":[]}""";

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("uptime only", "\"Up 5 minutes (healthy)\"", "\"Up 6 minutes (healthy)\"", false),
                Arguments.of("created time, command", "\"Command\":\"httpd\"", "\"Command\":\"httpd -f\"", false),
                Arguments.of("health turns unhealthy", "\"Up 5 minutes (healthy)\"", "\"Up 5 minutes (unhealthy)\"", true),
                Arguments.of("health starting", "\"Up 5 minutes (healthy)\"", "\"Up 5 seconds (health: starting)\"", true),
                Arguments.of("paused", "\"Up 5 minutes (healthy)\"", "\"Up 5 minutes (Paused)\"", true),
                Arguments.of("state", "\"State\":\"running\"", "\"State\":\"exited\"", true),
                Arguments.of("exit code", "\"Up 5 minutes (healthy)\"", "\"Exited (1) 2 minutes ago\"", true),
                Arguments.of("renamed", "/web-1", "/web-2", true),
                Arguments.of("a label", "\"SERVICE_TAGS\":\"a,b\"", "\"SERVICE_TAGS\":\"a\"", true),
                Arguments.of("published port moved (restart with -P)", "49153", "49154", true),
                Arguments.of("host address of a port", "\"IP\":\"0.0.0.0\"", "\"IP\":\"127.0.0.1\"", true),
                Arguments.of("new address on restart", "172.17.0.2", "172.17.0.3", true),
                Arguments.of("network connected",
                        "\"Aliases\":null}}}",
                        "\"Aliases\":null},\"back\":{\"NetworkID\":\"n2\",\"IPAddress\":\"10.0.9.2\"}}}", true),
                Arguments.of("network mode", "\"NetworkMode\":\"bridge\"", "\"NetworkMode\":\"host\"", true),
                Arguments.of("image replaced", "sha256:aa", "sha256:bb", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void printChangesOnlyWithWhatMaps(String what, String from, String to, boolean changes) throws Exception {
        String before = ListedState.of(JSON.readValue(BASE, Container.class));
        String changed = BASE.replace(from, to);
        assertNotEquals(BASE, changed, "the row must change the entry: " + what);
        String after = ListedState.of(JSON.readValue(changed, Container.class));
        if (changes) {
            assertNotEquals(before, after, what);
        } else {
            assertEquals(before, after, what);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statuses")
    void statusKeepsHealthAndExitCodeOnly(String status, String kept) {
        assertEquals(kept, ListedState.status(status));
    }

    static Stream<Arguments> statuses() {
        return Stream.of(
                Arguments.of("Up 3 seconds", ""),
                Arguments.of("Up About an hour (healthy)", "healthy"),
                Arguments.of("Up 2 days (unhealthy)", "unhealthy"),
                Arguments.of("Up 1 second (health: starting)", "health: starting"),
                Arguments.of("Exited (137) 5 seconds ago", "exit=137"),
                Arguments.of("Up 4 minutes (Paused)", "paused"),
                Arguments.of("Created", ""),
                Arguments.of(null, ""));
    }
}
