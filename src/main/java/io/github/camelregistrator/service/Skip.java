package io.github.camelregistrator.service;

/**
 * Why a container has no services: what an operator asks first about a missing registration.
 * The detail names options, variables and counts, never a value the container set.
 */
public record Skip(Kind kind, String detail) {

    public enum Kind {
        /** not running */
        STOPPED,
        /** exited non-zero under deregister=on-success: it keeps what it registered */
        KEPT,
        /** its name does not match registrator.names */
        NAME_FILTER,
        PAUSED,
        /** health-gated: it has a health check that does not say healthy */
        UNHEALTHY,
        /** SERVICE_IGNORE, or SERVICE_&lt;port&gt;_IGNORE on every port */
        IGNORED,
        NO_PORTS,
        /** explicit mode and no port has a SERVICE_NAME */
        EXPLICIT,
        BAD_METADATA
    }

    public static Skip of(Kind kind, String detail) {
        return new Skip(kind, detail);
    }
}
