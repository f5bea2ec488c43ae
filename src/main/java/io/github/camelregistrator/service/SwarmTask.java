package io.github.camelregistrator.service;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A swarm task, read from the labels Docker puts on its container. Its services are named after
 * the swarm service and keyed by its slot ({@code web.2}), so the task that replaces one in the
 * same slot takes over its keys. Layouts read it as {@code ${body.container.swarm.service}}.
 *
 * @param slot the replica's number ({@code web.2.<task id>}), or a global service's node id
 */
public record SwarmTask(String service, String serviceId, String taskId, String slot, String nodeId) {
    static final String SERVICE_NAME = "com.docker.swarm.service.name";
    static final String SERVICE_ID = "com.docker.swarm.service.id";
    static final String TASK_ID = "com.docker.swarm.task.id";
    static final String TASK_NAME = "com.docker.swarm.task.name";
    static final String NODE_ID = "com.docker.swarm.node.id";

    /** The task these labels describe; null when they are not a task's (a plain container). */
    public static SwarmTask of(Map<String, String> labels) {
        String service = labels.get(SERVICE_NAME);
        String task = labels.get(TASK_ID);
        if (service == null || service.isBlank() || task == null || task.isBlank()) {
            return null;
        }
        return new SwarmTask(service, labels.get(SERVICE_ID), task, slot(service, task, labels.get(TASK_NAME)),
                labels.get(NODE_ID));
    }

    /**
     * The middle of {@code <service>.<slot>.<task id>}. A task name of another form gives the task
     * id, so the task is still registered, under an id that does not outlive it.
     */
    static String slot(String service, String taskId, String taskName) {
        String head = service + ".";
        String tail = "." + taskId;
        if (taskName != null && taskName.length() > head.length() + tail.length()
                && taskName.startsWith(head) && taskName.endsWith(tail)) {
            return taskName.substring(head.length(), taskName.length() - tail.length());
        }
        return taskId;
    }

    /** {@code <service>.<slot>}: what stands for the container's name in service ids. */
    public String instance() {
        return service + "." + slot;
    }

    /** The attributes every service of the task carries. */
    Map<String, String> attributes() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("swarm_service", service);
        a.put("swarm_task", taskId);
        a.put("swarm_slot", slot);
        return a;
    }
}
