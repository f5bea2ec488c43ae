package io.github.camelregistrator.observe;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.camelregistrator.service.SwarmTask;

/**
 * Why one container is, or is not, in etcd: the element of GET /observe/registrations, and what
 * {@code explain <container>} prints. Holds only what the mapping produced, never a label or
 * environment value of the container, nor any option of the registrator.
 *
 * @param state     registered, skipped, unhealthy, pending or stopped; from explain alone, also "not registered"
 * @param reason    why skipped, unhealthy or stopped
 * @param error     pending: the last error etcd gave (or what is missing)
 * @param nextRetry pending: when the registrator tries next (ISO-8601), if it waits out a backoff
 * @param layouts   per layout, the keys and values it should have, and whether etcd holds them
 * @param lastSync  when the registrator last synced it (ISO-8601); null when computed by explain
 * @param trigger   what triggered that sync: event, watch or resync
 * @param swarm     the swarm task the container runs: its service, task and slot
 * @param checks    its services' active health checks (SERVICE_CHECK_*), when it has any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Explanation(String name, String id, String image, String state, String reason, String error,
                          String nextRetry, List<Mapped.ServiceView> services, Map<String, List<Key>> layouts,
                          String lastSync, String trigger, SwarmTask swarm,
                          List<io.github.camelregistrator.check.CheckView> checks) {

    public Explanation(String name, String id, String image, String state, String reason, String error,
                       String nextRetry, List<Mapped.ServiceView> services, Map<String, List<Key>> layouts,
                       String lastSync, String trigger, SwarmTask swarm) {
        this(name, id, image, state, reason, error, nextRetry, services, layouts, lastSync, trigger, swarm, null);
    }

    public Explanation(String name, String id, String image, String state, String reason, String error,
                       String nextRetry, List<Mapped.ServiceView> services, Map<String, List<Key>> layouts,
                       String lastSync, String trigger) {
        this(name, id, image, state, reason, error, nextRetry, services, layouts, lastSync, trigger, null, null);
    }

    /** The same, with these checks (none: null, so the JSON leaves them out). */
    public Explanation withChecks(List<io.github.camelregistrator.check.CheckView> shown) {
        return new Explanation(name, id, image, state, reason, error, nextRetry, services, layouts, lastSync, trigger,
                swarm, shown == null || shown.isEmpty() ? null : shown);
    }

    public static final String REGISTERED = "registered";
    public static final String SKIPPED = "skipped";
    public static final String UNHEALTHY = "unhealthy";
    public static final String PENDING = "pending";
    public static final String STOPPED = "stopped";
    /** Computed by explain with no registrator running: etcd does not hold its keys as the assumed options give them. */
    public static final String UNREGISTERED = "not registered";

    /**
     * One key: its wanted value and what etcd holds there.
     *
     * @param held    etcd holds exactly this value under this host's lease
     * @param etcd    held, missing, other value, other lease, or unread: why
     * @param pending the registrator still has a change of this key to deliver
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Key(String key, String value, boolean held, String etcd, Boolean pending) {
    }
}
