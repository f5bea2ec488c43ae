package io.github.camelregistrator.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One warning line per container and problem: a reconcile pass re-derives every container,
 * and the same bad label must not fill the log every resync.
 */
public final class Warnings {
    private static final Logger LOG = LoggerFactory.getLogger("registrator");
    private static final int MAX = 10_000;
    private final Map<String, String> last = new ConcurrentHashMap<>();
    private final Map<String, String> notes = new ConcurrentHashMap<>();

    public void warn(String containerId, String containerName, String message) {
        String previous = last.put(containerId, message);
        if (!message.equals(previous)) {
            LOG.warn("skipped container={} id={} reason=\"{}\"", containerName, shortId(containerId), message);
        }
        if (last.size() > MAX) {
            last.clear();
        }
    }

    /** One line for something left out of a container that is still registered, e.g. a value too large to keep. */
    public void note(String containerId, String containerName, String message) {
        if (!message.equals(notes.put(containerId, message))) {
            LOG.warn("container={} id={}: {}", containerName, shortId(containerId), message);
        }
        if (notes.size() > MAX) {
            notes.clear();
        }
    }

    public void forget(String containerId) {
        last.remove(containerId);
        notes.remove(containerId);
    }

    public static String shortId(String id) {
        return id != null && id.length() > 12 ? id.substring(0, 12) : id;
    }
}
