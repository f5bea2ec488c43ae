package io.github.camelregistrator.check;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One service's check as /observe/registrations and {@code explain} show it.
 *
 * @param state    passing, critical (its service is held back), or refused (never run)
 * @param target   where the probe goes; null when refused, or when the container has no address
 * @param lastResult passed or failed; null before the first probe
 * @param lastDetail the last probe's status (HTTP 200, connected) or why it failed; for a refused check, why it is refused
 * @param lastRun  when the last probe started (ISO-8601)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckView(int port, String protocol, String kind, String target, String state, String lastResult,
                        String lastDetail, int passes, int failures, String lastRun, String interval, String timeout,
                        Integer rise, Integer fall) {
}
