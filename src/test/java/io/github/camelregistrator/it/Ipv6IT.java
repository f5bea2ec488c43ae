package io.github.camelregistrator.it;

import java.util.Map;

import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

/** An IPv6 advertise address: bracketed where a URL or host:port needs it, bare where DNS does. */
class Ipv6IT extends RegistratorTestSupport {

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.advertise-ip", "fd00::5", "registrator.layouts", "registrator,skydns,vulcand"};
    }

    @Test
    void ipv6AddressesAreWrittenForEachConsumer() {
        String name = Workloads.uniqueName("v6");
        Workload w = workloads.start(name, Map.of("SERVICE_NAME", "six", "VS_80_BACKEND_ID", "six"), 80);
        int port = w.hostPort(80);
        assertExactly("/services/", Map.of("/services/six/" + HOST + ":" + name + ":80", "[fd00::5]:" + port));
        assertExactly("/vulcand/backends/six/servers/", Map.of(
                "/vulcand/backends/six/servers/" + HOST + "_" + name + "_80", "{\"URL\":\"http://[fd00::5]:" + port + "\"}"));
        eventually(() -> org.junit.jupiter.api.Assertions.assertEquals(
                "{\"host\":\"fd00::5\",\"port\":" + port + ",\"ttl\":30}", Etcd.get("/skydns/").values().iterator().next()));
    }
}
