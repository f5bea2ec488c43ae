package io.github.camelregistrator.it;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** etcd faults: nothing lost and nothing stale once etcd answers again. */
class EtcdFaultIT extends RegistratorTestSupport {

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator", "registrator.ttl", "5", "registrator.etcd-timeout", "1000"};
    }

    @Test
    void changesDuringAnOutageAreWrittenWhenEtcdReturns() throws Exception {
        Workload before = workloads.start(Workloads.uniqueName("before"), Map.of(), 80);
        String beforeKey = "/services/" + Workloads.SERVICE_NAME + "/" + HOST + ":" + before.name() + ":80";
        assertExactly("/services/", Map.of(beforeKey, IP + ":" + before.hostPort(80)));

        Etcd.stop();
        try {
            Workload during = workloads.start(Workloads.uniqueName("during"), Map.of(), 80);
            workloads.remove(before);
            Thread.sleep(3000);
            assertTrue(context.isStarted());
            Etcd.start();
            long back = System.nanoTime();
            String duringKey = "/services/" + Workloads.SERVICE_NAME + "/" + HOST + ":" + during.name() + ":80";
            Eventually.within(Duration.ofSeconds(5),
                    () -> assertEquals(Map.of(duringKey, IP + ":" + during.hostPort(80)), Etcd.get("/services/")));
            System.out.printf("etcd outage: exact %d ms after etcd answered%n", (System.nanoTime() - back) / 1_000_000);
        } finally {
            Etcd.start();
        }
    }

    @Test
    void aLostLeaseIsReplacedAndEveryKeyWrittenAgain() throws Exception {
        Workload w = workloads.start(Workloads.uniqueName("leased"), Map.of(), 80);
        String key = "/services/" + Workloads.SERVICE_NAME + "/" + HOST + ":" + w.name() + ":80";
        assertExactly("/services/", Map.of(key, IP + ":" + w.hostPort(80)));
        long lost = registry().lease();
        Etcd.client().getLeaseClient().revoke(lost).get(5, TimeUnit.SECONDS);
        assertEquals(Map.of(), Etcd.get("/services/"));
        assertExactly("/services/", Map.of(key, IP + ":" + w.hostPort(80)));
        assertNotEquals(lost, registry().lease());
        assertEquals(registry().lease(), Etcd.kv(key).getLease());
    }
}
