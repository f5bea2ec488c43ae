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
        /** its active health check (SERVICE_CHECK_*) does not pass, on every port */
        FAILING_CHECK,
        /** SERVICE_IGNORE, or SERVICE_&lt;port&gt;_IGNORE on every port */
        IGNORED,
        NO_PORTS,
        /** explicit mode and no port has a SERVICE_NAME */
        EXPLICIT,
        /** internal mode, and not on the network SERVICE_NETWORK or registrator.network names */
        NETWORK,
        BAD_METADATA
    }

    public static Skip of(Kind kind, String detail) {
        return new Skip(kind, detail);
    }

    /** Not running; kept: it exited non-zero under deregister=on-success. */
    public static Skip stopped(Object exitCode, boolean kept) {
        return kept ? of(Kind.KEPT, "exited with code " + exitCode
                + "; deregister=on-success keeps what it registered until it is removed")
                : of(Kind.STOPPED, "not running" + (exitCode == null ? "" : " (exit code " + exitCode + ")"));
    }

    /** No port to register; a swarm task's ingress-mode ports are the routing mesh's, not its container's. */
    static Skip noPorts(boolean internal, boolean swarmTask) {
        Skip none = noService(0, 0, internal);
        return swarmTask && !internal ? of(Kind.NO_PORTS, none.detail()
                + " (a swarm task's ports published in ingress mode are not its own: publish with mode=host)") : none;
    }

    /** Why a running container's ports gave no service. */
    static Skip noService(int ports, int unnamed, boolean internal) {
        if (ports == 0) {
            return of(Kind.NO_PORTS, internal ? "no exposed ports (internal mode)" : "no published ports");
        }
        if (unnamed > 0) {
            return of(Kind.EXPLICIT, "explicit mode and no SERVICE_NAME or SERVICE_<port>_NAME for its " + ports + " port(s)");
        }
        return of(Kind.IGNORED, "SERVICE_<port>_IGNORE on each of its " + ports + " port(s)");
    }
}
