package io.github.camelregistrator.bench;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;

/** Arrival time of each container event at the bench, the common clock of every sample. */
final class Events extends ResultCallback.Adapter<Event> {
    private static final Set<String> ACTIONS = Set.of("start", "die", "stop", "kill", "destroy", "pause", "unpause",
            "rename", "health_status");
    private final Map<String, Long> times = new ConcurrentHashMap<>();
    volatile long count;

    @Override
    public void onNext(Event e) {
        long now = System.nanoTime();
        String action = e.getAction() == null ? "" : e.getAction().replaceFirst(":.*", "");
        if (e.getId() != null && ACTIONS.contains(action)) {
            times.put(e.getId() + "/" + action, now);
            count++;
        }
    }

    long await(String id, String action, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        Long t;
        while ((t = times.get(id + "/" + action)) == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + action + " event for " + id);
            }
            Thread.sleep(1);
        }
        return t;
    }

    long lastOf(Set<String> ids, Set<String> actions) {
        long last = 0;
        for (Map.Entry<String, Long> e : times.entrySet()) {
            int slash = e.getKey().indexOf('/');
            if (ids.contains(e.getKey().substring(0, slash)) && actions.contains(e.getKey().substring(slash + 1))) {
                last = Math.max(last, e.getValue());
            }
        }
        return last;
    }

    /** Forgets what the samples no longer need: a thousand lifecycles leave thousands of entries. */
    void forget(String id) {
        times.keySet().removeIf(k -> k.startsWith(id + "/"));
    }
}
