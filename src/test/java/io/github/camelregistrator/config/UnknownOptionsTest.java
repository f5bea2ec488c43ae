package io.github.camelregistrator.config;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which option no one reads, from which source, and what it is taken for: a table. */
class UnknownOptionsTest {
    private static final UnknownOptions OPTIONS = new UnknownOptions(
            Set.of("registrator.etcd-endpoints", "registrator.advertise-ip", "registrator.host-id", "registrator.layouts",
                    "registrator.http-port", "registrator.ttl", "registrator.prefix", "registrator.vulcand.prefix",
                    "registrator.vulcand.env-prefix", "camel.server.port"),
            Set.of("registrator", "vulcand", "mine"));

    static Stream<Arguments> table() {
        return Stream.of(
                // flags, environment, file -> the line, or none
                Arguments.of(List.of("registrator.ttl", "camel.main.name"), List.of("REGISTRATOR_TTL", "PATH"),
                        List.of("registrator.host-id", "camel.server.port"), null),
                Arguments.of(List.of("registrator.advertse-ip"), List.of(), List.of(),
                        "--advertse-ip: no such option (did you mean --advertise-ip?)"),
                Arguments.of(List.of("registrator.etcd-endpoint"), List.of(), List.of(),
                        "--etcd-endpoint: no such option (did you mean --etcd-endpoints?)"),
                Arguments.of(List.of("registrator.hostid"), List.of(), List.of(),
                        "--hostid: no such option (did you mean --host-id?)"),
                Arguments.of(List.of("registrator.layout"), List.of(), List.of(),
                        "--layout: no such option (did you mean --layouts?)"),
                Arguments.of(List.of("registrator.http-prot"), List.of(), List.of(),
                        "--http-prot: no such option (did you mean --http-port?)"),
                Arguments.of(List.of("registrator.no-such-option"), List.of(), List.of(),
                        "--no-such-option: no such option; see --help"),
                // a short name is not close to everything
                Arguments.of(List.of("registrator.tt"), List.of(), List.of(), "--tt: no such option; see --help"),
                Arguments.of(List.of(), List.of("REGISTRATOR_ADVERTSE_IP"), List.of(),
                        "REGISTRATOR_ADVERTSE_IP: no such option (did you mean REGISTRATOR_ADVERTISE_IP?)"),
                Arguments.of(List.of(), List.of("REGISTRATOR_NO_SUCH_OPTION"), List.of(),
                        "REGISTRATOR_NO_SUCH_OPTION: no such option; see --help"),
                Arguments.of(List.of(), List.of(), List.of("registrator.advertse-ip"),
                        "registrator.advertse-ip in ./application.properties: no such option (did you mean registrator.advertise-ip?)"),
                // an own layout (no packed option) takes its own; a packed one only those it has
                Arguments.of(List.of("registrator.mine.prefix"), List.of("REGISTRATOR_MINE_PREFIX"),
                        List.of("registrator.mine.anything"), null),
                Arguments.of(List.of("registrator.vulcand.prefx"), List.of(), List.of(),
                        "--vulcand.prefx: no such option (did you mean --vulcand.prefix?)"),
                Arguments.of(List.of(), List.of("REGISTRATOR_VULCAND_ENV_PREFIX", "REGISTRATOR_VULCAND_X"), List.of(),
                        "REGISTRATOR_VULCAND_X: no such option; see --help"),
                // flags are named first, then the environment, then the file
                Arguments.of(List.of("registrator.a-b-c"), List.of("REGISTRATOR_X"), List.of("registrator.y"),
                        "--a-b-c: no such option; see --help"),
                Arguments.of(List.of(), List.of("REGISTRATOR_X"), List.of("registrator.y"),
                        "REGISTRATOR_X: no such option; see --help"));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("table")
    void firstUnknown(List<String> flags, List<String> env, List<String> file, String expected) {
        assertEquals(Optional.ofNullable(expected), OPTIONS.first(flags, env, file));
    }
}
