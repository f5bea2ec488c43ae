package io.github.camelregistrator.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How --help shows a default. */
class CommandLineTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{{env:DOCKER_HOST:unix:///var/run/docker.sock}} | unix:///var/run/docker.sock, or DOCKER_HOST",
        "15                                                 | 15",
        "{{registrator.template.prefix}}/${body.name}       | {{registrator.template.prefix}}/${body.name}",
        "x{{env:A:b}}                                       | x{{env:A:b}}"})
    void aDefaultFromTheEnvironmentIsShownResolved(String raw, String shown) {
        assertEquals(shown, CommandLine.shown(raw));
    }
}
