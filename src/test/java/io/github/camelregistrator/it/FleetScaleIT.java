package io.github.camelregistrator.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One host on an etcd that holds 100,000 other hosts' keys under the same prefix: the built
 * jar registers its own containers as it does on an empty etcd, reads only its own keys (what
 * etcd sends it over a start-up and four full passes stays within twice the empty etcd's
 * figure; a read of the prefix alone would be 6 MB), and changes not one foreign key.
 */
class FleetScaleIT {
    private static final int FOREIGN = 100_000;
    private static final int OWN = 10;
    private static final Workloads WORKLOADS = new Workloads();
    private static final List<String> OWN_KEYS = new ArrayList<>();

    @BeforeAll
    static void startContainers() {
        for (int i = 0; i < OWN; i++) {
            Workload w = WORKLOADS.start(Workloads.uniqueName("fleetown"), java.util.Map.of(), 80);
            OWN_KEYS.add("/services/" + Workloads.SERVICE_NAME + "/fleet-it:" + w.name() + ":80");
        }
    }

    @AfterAll
    static void removeContainers() {
        WORKLOADS.close();
    }

    /** What one start-up and four full passes cost: start to all own keys, and etcd's side. */
    private record Run(long startMs, EtcdMetrics load) {
    }

    @Test
    void oneHostOnAFleetEtcdReadsOnlyItsOwnKeys() throws Exception {
        Run empty;
        try (EtcdProcess etcd = new EtcdProcess()) {
            etcd.start();
            empty = run(etcd);
        }
        try (EtcdProcess etcd = new EtcdProcess()) {
            etcd.start();
            long loaded = ForeignKeys.load(etcd.client(), FOREIGN, 20);
            Run fleet = run(etcd);
            System.out.printf("start to all %d own keys: empty etcd %d ms, with %,d foreign keys %d ms%n", OWN,
                    empty.startMs(), FOREIGN, fleet.startMs());
            System.out.printf("etcd sent over start-up and 4 full passes: empty %,.0f bytes in %.0f requests, "
                    + "with %,d foreign keys %,.0f bytes in %.0f requests%n", empty.load().sentBytes(),
                    empty.load().requests(), FOREIGN, fleet.load().sentBytes(), fleet.load().requests());
            assertTrue(fleet.load().sentBytes() <= 2 * empty.load().sentBytes(),
                    "etcd sent " + fleet.load().sentBytes() + " bytes with foreign keys, " + empty.load().sentBytes()
                            + " without");

            Client c = etcd.client();
            GetOption foreign = GetOption.builder().isPrefix(true).withCountOnly(true).build();
            assertEquals(FOREIGN, c.getKVClient().get(Etcd.bytes("/services/svc-"), foreign).get(10, TimeUnit.SECONDS)
                    .getCount());
            // etcd counts before it filters by revision: the keys themselves say it
            GetOption changed = GetOption.builder().isPrefix(true).withKeysOnly(true).withMinModRevision(loaded + 1).build();
            assertEquals(List.of(), c.getKVClient().get(Etcd.bytes("/services/svc-"), changed).get(10, TimeUnit.SECONDS)
                    .getKvs(), "foreign keys changed");
        }
    }

    /** Starts the jar, times it to all own keys, lets it run four full passes, and stops it. */
    private static Run run(EtcdProcess etcd) throws Exception {
        EtcdMetrics before = EtcdMetrics.read(etcd.endpoint());
        try (JarRegistrator r = JarRegistrator.start("--etcd-endpoints=" + etcd.endpoint(), "--host-id=fleet-it",
                "--advertise-ip=10.0.0.5", "--names=fleetown-.*", "--resync=2", "--ttl=60")) {
            long started = System.nanoTime();
            Client c = etcd.client();
            Eventually.within(Duration.ofSeconds(30), () -> {
                for (String key : OWN_KEYS) {
                    try {
                        assertEquals(1, c.getKVClient().get(Etcd.bytes(key)).get(5, TimeUnit.SECONDS).getCount(),
                                key + " missing; log:\n" + r.log());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
            });
            long startMs = (System.nanoTime() - started) / 1_000_000;
            Thread.sleep(8_500);
            EtcdMetrics load = EtcdMetrics.read(etcd.endpoint()).since(before);
            assertTrue(r.log().contains("reconciled") || r.log().contains("start-up pass"), r.log());
            return new Run(startMs, load);
        }
    }
}
