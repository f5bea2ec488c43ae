package io.github.camelregistrator.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.SwarmInfo;

/**
 * Whether this engine can list swarm services: only a manager of an active swarm can (a worker
 * gets "This node is not a swarm manager", a plain engine "This node is not a swarm manager.
 * Use docker swarm init ..."). Asked once, before start-up, when registrator.swarm-services is on.
 */
public final class SwarmRole {
    private SwarmRole() {
    }

    /** Why this engine cannot list services, in words for the option's refusal; null when it is a manager. */
    public static String refusal(SwarmInfo swarm) {
        LocalNodeState state = swarm == null ? null : swarm.getLocalNodeState();
        if (state != LocalNodeState.ACTIVE) {
            return "this Docker engine is not in swarm mode (swarm: " + (state == null ? "inactive" : state.name().toLowerCase(java.util.Locale.ROOT))
                    + "), and only a swarm manager can list services; run it on a manager, or leave the option off";
        }
        if (!Boolean.TRUE.equals(swarm.getControlAvailable())) {
            return "this node is a swarm worker, and only a swarm manager can list services; run it on a manager"
                    + " (docker node ls shows them), or leave the option off on workers";
        }
        return null;
    }

    /**
     * Asks the engine.
     *
     * @return the refusal, or null when it is a manager
     * @throws RuntimeException when Docker does not answer
     */
    public static String refusal(String host, String apiVersion) throws Exception {
        try (DockerClient docker = DockerClients.requests(host, apiVersion)) {
            return refusal(docker.infoCmd().exec().getSwarm());
        }
    }
}
