package io.github.camelregistrator.it;

import java.time.Duration;
import java.util.Map;

import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two hosts want one key with different values: both settle on the smaller value, with a
 * warning, and then leave it alone (no tug of war).
 */
class CrossHostConflictIT extends RegistratorTestSupport {

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator", "registrator.names", "^a-"};
    }

    @Test
    void conflictingValuesOfTwoHostsSettleOnTheSmallest() throws Exception {
        Map<String, String> labels = Map.of("SERVICE_NAME", "dup", "SERVICE_ID", "dup");
        try (JarRegistrator other = JarRegistrator.start("--etcd-endpoints=" + Etcd.endpoint(), "--host-id=host-b",
                "--advertise-ip=10.0.0.6", "--layouts=registrator", "--names=^b-", "--ttl=5")) {
            Workload b = workloads.start(Workloads.uniqueName("b"), labels, 80);
            Eventually.within(Duration.ofSeconds(30),
                    () -> assertEquals(Map.of("/services/dup/dup", "10.0.0.6:" + b.hostPort(80)), Etcd.get("/services/")));

            // this host's value is the smaller one ("10.0.0.5:..." < "10.0.0.6:...")
            Workload a = workloads.start(Workloads.uniqueName("a"), labels, 80);
            String smaller = IP + ":" + a.hostPort(80);
            assertExactly("/services/", Map.of("/services/dup/dup", smaller));
            long revision = Etcd.kv("/services/dup/dup").getModRevision();
            Thread.sleep(2000);
            assertEquals(revision, Etcd.kv("/services/dup/dup").getModRevision(), "the hosts kept rewriting the key");
            other.awaitLog(Duration.ofSeconds(5), "conflict key=/services/dup/dup");
        }
    }
}
