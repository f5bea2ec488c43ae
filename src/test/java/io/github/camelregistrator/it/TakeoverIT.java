package io.github.camelregistrator.it;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.options.LeaseOption;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Start-up takes over from the previous run of the same host-id: what is still true moves to
 * the new lease, what is stale goes at once (not after the old TTL), and containers started
 * while no registrator ran are registered.
 */
class TakeoverIT extends RegistratorTestSupport {
    private long previousLease;
    private Workload before;
    private Workload unseen;

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator"};
    }

    @Override
    protected void beforeRegistratorStarts() throws Exception {
        previousLease = Etcd.grant(300);
        Etcd.put("/registrator/hosts/" + HOST, "{\"lease\":" + previousLease + ",\"ttl\":300}", previousLease);
        before = workloads.start(Workloads.uniqueName("before"), Map.of("SERVICE_NAME", "kept"), 80);
        Etcd.put("/services/kept/" + HOST + ":" + before.name() + ":80", IP + ":" + before.hostPort(80), previousLease);
        Etcd.put("/services/ghost/" + HOST + ":gone:80", IP + ":1", previousLease);
        unseen = workloads.start(Workloads.uniqueName("unseen"), Map.of("SERVICE_NAME", "late"), 80);
    }

    @Test
    void staleKeysGoAtOnceAndTrueOnesMoveToTheNewLease() throws Exception {
        String kept = "/services/kept/" + HOST + ":" + before.name() + ":80";
        assertExactly("/services/", Map.of(
                kept, IP + ":" + before.hostPort(80),
                "/services/late/" + HOST + ":" + unseen.name() + ":80", IP + ":" + unseen.hostPort(80)));
        eventually(() -> {
            try {
                assertEquals(registry().lease(), Etcd.kv(kept).getLease());
                assertEquals(-1, Etcd.client().getLeaseClient().timeToLive(previousLease, LeaseOption.DEFAULT)
                        .get(5, TimeUnit.SECONDS).getTTL());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}
