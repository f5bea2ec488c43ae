package io.github.camelregistrator.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A three-member etcd cluster loses its leader during a churn of 50 containers; the
 * registrator, given all three endpoints, loses no registration and writes on through the
 * two members left.
 */
class ClusterFailoverIT extends RegistratorTestSupport {
    private static final List<GenericContainer<?>> MEMBERS = new ArrayList<>();
    private static final List<String> ENDPOINTS = new ArrayList<>();

    private static synchronized void startCluster() {
        if (!MEMBERS.isEmpty()) {
            return;
        }
        int[] client = {Etcd.freePort(), Etcd.freePort(), Etcd.freePort()};
        int[] peer = {Etcd.freePort(), Etcd.freePort(), Etcd.freePort()};
        StringBuilder cluster = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            cluster.append(i == 0 ? "" : ",").append("m").append(i).append("=http://127.0.0.1:").append(peer[i]);
        }
        for (int i = 0; i < 3; i++) {
            GenericContainer<?> m = new GenericContainer<>(DockerImageName.parse(Etcd.IMAGE))
                    .withNetworkMode("host")
                    .withLabel("SERVICE_IGNORE", "true")
                    .withCommand("etcd", "--name", "m" + i, "--data-dir", "/tmp/etcd",
                            "--listen-client-urls", "http://127.0.0.1:" + client[i],
                            "--advertise-client-urls", "http://127.0.0.1:" + client[i],
                            "--listen-peer-urls", "http://127.0.0.1:" + peer[i],
                            "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer[i],
                            "--initial-cluster", cluster.toString(), "--initial-cluster-state", "new",
                            "--initial-cluster-token", "registrator-it")
                    .waitingFor(Wait.forLogMessage(".*(ready to serve client requests|serving client traffic).*", 1));
            MEMBERS.add(m);
            ENDPOINTS.add("http://127.0.0.1:" + client[i]);
        }
        MEMBERS.parallelStream().forEach(GenericContainer::start);
    }

    @AfterAll
    static void stopCluster() {
        MEMBERS.forEach(GenericContainer::stop);
        MEMBERS.clear();
        ENDPOINTS.clear();
    }

    @Override
    protected String[] overrides() {
        startCluster();
        return new String[] {"registrator.layouts", "registrator", "registrator.etcd-endpoints", String.join(",", ENDPOINTS),
                "registrator.etcd-timeout", "1000", "registrator.ttl", "6"};
    }

    private static Map<String, String> services(Client etcd) {
        return Etcd.get(etcd, "/services/");
    }

    private static int leader(Client etcd) throws Exception {
        for (int i = 0; i < ENDPOINTS.size(); i++) {
            StatusResponse s = etcd.getMaintenanceClient().statusMember(ENDPOINTS.get(i)).get(3, TimeUnit.SECONDS);
            if (s.getLeader() == s.getHeader().getMemberId()) {
                return i;
            }
        }
        throw new IllegalStateException("no leader");
    }

    @Test
    void killingTheLeaderDuringAChurnLosesNoRegistration() throws Exception {
        try (Client etcd = Client.builder().endpoints(ENDPOINTS.toArray(String[]::new)).build()) {
            int leader = leader(etcd);
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<Workload>> started = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String name = Workloads.uniqueName("churn" + i);
                started.add(pool.submit(() -> workloads.start(name, Map.of(), 80)));
                if (i == 15) {
                    pool.submit(() -> MEMBERS.get(leader).getDockerClient()
                            .killContainerCmd(MEMBERS.get(leader).getContainerId()).exec());
                }
            }
            Map<String, String> expected = new TreeMap<>();
            for (Future<Workload> f : started) {
                Workload w = f.get();
                expected.put(serviceKey(w.name()),
                        IP + ":" + w.hostPort(80));
            }
            Eventually.within(Duration.ofSeconds(30), () -> assertEquals(expected, services(etcd)));

            List<Future<?>> removed = new ArrayList<>();
            for (Future<Workload> f : started) {
                Workload w = f.get();
                removed.add(pool.submit(() -> workloads.remove(w)));
            }
            for (Future<?> f : removed) {
                f.get();
            }
            pool.shutdown();
            Eventually.within(Duration.ofSeconds(30), () -> assertEquals(Map.of(), services(etcd)));
        }
    }
}
