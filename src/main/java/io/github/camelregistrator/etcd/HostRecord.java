package io.github.camelregistrator.etcd;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.kv.GetResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's record under the bookkeeping prefix ({@code hosts/<host-id>}): the lease of the
 * run that holds its keys, so that the next run can take them over and revoke it.
 */
final class HostRecord {
    private static final Logger LOG = LoggerFactory.getLogger("registrator");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EtcdCalls etcd;
    private final String key;
    private final long ttl;
    private volatile boolean warnedTwin;

    HostRecord(EtcdCalls etcd, String key, long ttl) {
        this.etcd = etcd;
        this.key = key;
        this.ttl = ttl;
    }

    String key() {
        return key;
    }

    /** The lease the record names; 0 when there is none, or it is unreadable. */
    long read() throws Exception {
        GetResponse r = etcd.get(key);
        if (r.getKvs().isEmpty()) {
            return 0;
        }
        try {
            JsonNode node = JSON.readTree(EtcdCalls.string(r.getKvs().get(0).getValue()));
            return node.path("lease").asLong(0);
        } catch (Exception e) {
            LOG.warn("unreadable host record {}: {}", key, EtcdCalls.message(e));
            return 0;
        }
    }

    /** Names the lease, bound to it: the record goes with the lease. */
    void write(long lease) throws Exception {
        etcd.put(key, JSON.writeValueAsString(Map.of("lease", lease, "ttl", ttl)), lease);
    }

    /** Deleted by someone else: written again, or the next run could not take over and clean up. */
    void restore(long lease) {
        try {
            if (lease != 0 && read() == 0) {
                write(lease);
                LOG.warn("restored host record key={}: deleted by someone else", key);
            }
        } catch (Exception e) {
            LOG.debug("host record not restored yet: {}", EtcdCalls.message(e));
        }
    }

    /** Naming another live lease, another registrator runs with this host-id: said once. */
    void checkOwner(long lease) {
        if (warnedTwin) {
            return;
        }
        try {
            long named = read();
            if (named != 0 && named != lease && !warnedTwin) {
                warnedTwin = true;
                LOG.warn("host record {} names lease={}, not this run's: another registrator runs with this "
                        + "host-id; the keys both want stay with one of them", key, Long.toHexString(named));
            }
        } catch (Exception e) {
            LOG.debug("host record not read: {}", EtcdCalls.message(e));
        }
    }
}
