package io.github.camelregistrator.it;

import java.util.Map;

import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Register and deregister in both layouts, byte for byte, with gliderlabs' naming rules. */
class RegistrationIT extends RegistratorTestSupport {
    private static final String BASE = Workloads.SERVICE_NAME;

    @Test
    void registersAndDeregistersInBothLayouts() {
        String name = Workloads.uniqueName("web");
        Workload w = workloads.start(name, Map.of(), 80);
        int port = w.hostPort(80);
        String image = Workloads.IMAGE;
        assertExactly("/services/", Map.of("/services/" + BASE + "/" + HOST + ":" + name + ":80", IP + ":" + port));
        assertExactly("/registered/", Map.of("/registered/" + IP + "/" + image + "/" + w.id(),
                "[{\"container\":\"" + w.id() + "\",\"image\":\"" + image + "\",\"ip\":\"" + IP
                        + "\",\"public_port\":\"" + port + "\",\"private_port\":\"80\",\"port_type\":\"tcp\"}]"));
        // the container's keys of both layouts went to etcd in one transaction: one revision
        assertEquals(modRevisions("/services/").values().iterator().next(),
                modRevisions("/registered/").values().iterator().next());
        workloads.remove(w);
        assertExactly("/services/", Map.of());
        assertExactly("/registered/", Map.of());
    }

    @Test
    void severalPortsAreSuffixedAndOverridable() {
        String a = Workloads.uniqueName("multi");
        Workload w = workloads.start(a, Map.of("SERVICE_81_NAME", "admin", "SERVICE_81_ID", "admin-1"), 80, 81);
        String b = Workloads.uniqueName("named");
        Workload n = workloads.start(b, Map.of("SERVICE_NAME", "api", "SERVICE_TAGS", "x,y"), 80, 81);
        assertExactly("/services/", Map.of(
                "/services/" + BASE + "-80/" + HOST + ":" + a + ":80", IP + ":" + w.hostPort(80),
                "/services/admin/admin-1", IP + ":" + w.hostPort(81),
                "/services/api-80/" + HOST + ":" + b + ":80", IP + ":" + n.hostPort(80),
                "/services/api-81/" + HOST + ":" + b + ":81", IP + ":" + n.hostPort(81)));
    }

    @Test
    void ignoredContainersAndPortsAreSkipped() {
        workloads.start(Workloads.uniqueName("ignored"), Map.of("SERVICE_IGNORE", "yes"), 80);
        String name = Workloads.uniqueName("partly");
        Workload w = workloads.start(name, Map.of("SERVICE_80_IGNORE", "1"), 80, 81);
        assertExactly("/services/", Map.of("/services/" + BASE + "-81/" + HOST + ":" + name + ":81", IP + ":" + w.hostPort(81)));
    }

    @Test
    void udpPortsGetTheUdpSuffix() {
        String name = Workloads.uniqueName("dns");
        Workload w = workloads.start(name, Map.of("SERVICE_NAME", "dns"), Map.of(), new int[0], 53);
        assertExactly("/services/", Map.of("/services/dns/" + HOST + ":" + name + ":53:udp", IP + ":" + w.udpHostPort(53)));
    }

    @Test
    void envIsReadAndLabelsWin() {
        String name = Workloads.uniqueName("envs");
        Workload w = workloads.start(name, Map.of("SERVICE_NAME", "fromlabel"),
                Map.of("SERVICE_NAME", "fromenv", "SERVICE_ID", "env-id"), new int[] {80});
        assertExactly("/services/", Map.of("/services/fromlabel/env-id", IP + ":" + w.hostPort(80)));
    }

    @Test
    void keysOfOtherHostsAreLeftAlone() throws Exception {
        long other = Etcd.grant(60);
        Etcd.put("/services/" + BASE + "/other-host:web:80", "10.9.9.9:1", other);
        Etcd.put("/services/static/hand-written", "10.9.9.9:2", 0);
        String name = Workloads.uniqueName("mine");
        Workload w = workloads.start(name, Map.of(), 80);
        eventually(() -> assertEquals(3, Etcd.get("/services/").size()));
        workloads.remove(w);
        assertExactly("/services/", Map.of(
                "/services/" + BASE + "/other-host:web:80", "10.9.9.9:1",
                "/services/static/hand-written", "10.9.9.9:2"));
    }

    @Test
    void aKeyDeletedOrChangedByHandIsRestoredWithinASecond() throws Exception {
        String name = Workloads.uniqueName("watched");
        Workload w = workloads.start(name, Map.of(), 80);
        String key = "/services/" + BASE + "/" + HOST + ":" + name + ":80";
        String value = IP + ":" + w.hostPort(80);
        eventually(() -> assertEquals(value, Etcd.get(key).get(key)));

        Etcd.client().getKVClient().delete(Etcd.bytes(key)).get(5, java.util.concurrent.TimeUnit.SECONDS);
        Eventually.within(java.time.Duration.ofSeconds(1), () -> assertEquals(value, Etcd.get(key).get(key)));
        assertEquals(registry().lease(), Etcd.kv(key).getLease());

        Etcd.put(key, "10.6.6.6:1", 0);
        Eventually.within(java.time.Duration.ofSeconds(1), () -> assertEquals(value, Etcd.get(key).get(key)));
        assertEquals(registry().lease(), Etcd.kv(key).getLease());
    }

    @Test
    void aChangedKeyIsRepairedByTheNextPass() throws Exception {
        String name = Workloads.uniqueName("drift");
        Workload w = workloads.start(name, Map.of(), 80);
        String key = "/services/" + BASE + "/" + HOST + ":" + name + ":80";
        eventually(() -> assertEquals(IP + ":" + w.hostPort(80), Etcd.get(key).get(key)));
        long lease = registry().lease();
        Etcd.put(key, "tampered", lease);
        template.sendBody("direct:reconcile", null);
        assertExactly("/services/", Map.of(key, IP + ":" + w.hostPort(80)));
    }
}
