package io.github.camelregistrator.it;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every layout against real Docker and etcd, each value read back with the field names of the
 * software that consumes it.
 */
class LayoutsIT extends RegistratorTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DNS_LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";

    @Override
    protected String[] overrides() {
        return new String[] {
            "registrator.layouts", "registrator-json,vulcand,havok,skydns,traefik,template",
            "registrator.vulcand.permit-frontend", "true",
            "registrator.template.key", "/custom/${body.container.name}/${body.privatePort}",
            "registrator.template.value", "{\"svc\":\"${body.name}\",\"url\":\"http://${body.address}\",\"port\":\"${body.port}\","
                    + "\"tags\":\"${body.tags}\",\"image\":\"${body.container.image}\",\"team\":\"${body.container.labels[team]}\"}",
            "registrator.tags", "forced"};
    }

    private static JsonNode json(String value) {
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + value, e);
        }
    }

    @Test
    void vulcandBackendsServersAndFrontends() {
        String name = Workloads.uniqueName("vs");
        Workload w = workloads.start(name, Map.of("VS_80_BACKEND_ID", "b1", "VS_80_FRONTEND_ROUTE", "Host(`app.local`) && Path(\"/\")"),
                Map.of(), new int[] {80, 81});
        eventually(() -> {
            Map<String, String> kv = Etcd.get("/vulcand/backends/");
            assertEquals(2, kv.size(), kv.toString());
            assertEquals("http", json(kv.get("/vulcand/backends/b1/backend")).get("Type").asText());
            assertEquals("http://" + IP + ":" + w.hostPort(80),
                    json(kv.get("/vulcand/backends/b1/servers/" + HOST + "_" + name + "_80")).get("URL").asText());
        });
        JsonNode frontend = json(Etcd.get("/vulcand/frontends/").get("/vulcand/frontends/b1/frontend"));
        assertEquals("http", frontend.get("Type").asText());
        assertEquals("b1", frontend.get("BackendId").asText());
        assertEquals("Host(`app.local`) && Path(\"/\")", frontend.get("Route").asText());
        workloads.remove(w);
        assertExactly("/vulcand/", Map.of());
    }

    @Test
    void havokHostsAndUpstreamsUseTheFirstPort() {
        String name = Workloads.uniqueName("hv");
        Workload w = workloads.start(Workloads.busybox(name).withExposedPorts(80, 81)
                .withCreateContainerCmdModifier(cmd -> cmd.withHostName("shop")));
        assertExactly("/vulcand/", Map.of(
                "/vulcand/upstreams/up-shop.local/endpoints/" + name, "http://" + IP + ":" + w.hostPort(80),
                "/vulcand/hosts/shop.local/locations/home/path", "/.*",
                "/vulcand/hosts/shop.local/locations/home/upstream", "up-shop.local"));
    }

    @Test
    void skydnsRecordsAreCoreDnsServiceJson() {
        String name = Workloads.uniqueName("Dns_Test");
        Workload w = workloads.start(name, Map.of("SERVICE_NAME", "api"), 80);
        eventually(() -> assertEquals(1, Etcd.get("/skydns/").size()));
        Map.Entry<String, String> record = Etcd.get("/skydns/").entrySet().iterator().next();
        String[] path = record.getKey().split("/");
        assertEquals(List.of("", "skydns", "local", "skydns", "api"), List.of(path).subList(0, 5));
        for (String label : List.of(path).subList(2, path.length)) {
            assertTrue(label.matches(DNS_LABEL), label + " is not a DNS label");
        }
        JsonNode service = json(record.getValue());
        assertEquals(IP, service.get("host").asText());
        assertTrue(service.get("port").isInt());
        assertEquals(w.hostPort(80), service.get("port").asInt());
        assertEquals(30, service.get("ttl").asInt());
    }

    @Test
    void traefikServersNeverShareAnIndexAndRoutersFollowTheRule() {
        String a = Workloads.uniqueName("tr");
        String b = Workloads.uniqueName("tr");
        Map<String, String> labels = Map.of("SERVICE_NAME", "shop", "SERVICE_TRAEFIK_RULE", "Host(`shop.local`)");
        Workload wa = workloads.start(a, labels, 80);
        Workload wb = workloads.start(b, labels, 80);
        Map<String, String> expected = new TreeMap<>(Map.of(
                "traefik/http/services/shop/loadbalancer/servers/" + HOST + ":" + a + ":80/url", "http://" + IP + ":" + wa.hostPort(80),
                "traefik/http/services/shop/loadbalancer/servers/" + HOST + ":" + b + ":80/url", "http://" + IP + ":" + wb.hostPort(80),
                "traefik/http/routers/shop/rule", "Host(`shop.local`)",
                "traefik/http/routers/shop/service", "shop"));
        assertExactly("traefik/", expected);
        // as Traefik reads them: every server child has a distinct name, case-insensitively
        List<String> children = Etcd.get("traefik/http/services/shop/loadbalancer/servers/").keySet().stream()
                .map(k -> k.split("/")[6].toLowerCase()).distinct().toList();
        assertEquals(2, children.size());
    }

    @Test
    void templateAndJsonSiblingCarryTagsAndAttributes() {
        String name = Workloads.uniqueName("tpl");
        Workload w = workloads.start(name, Map.of("SERVICE_TAGS", "blue,\"quoted\"", "SERVICE_WEIGHT", "5", "team", "core"), 80);
        eventually(() -> assertEquals(1, Etcd.get("/custom/").size()));
        JsonNode custom = json(Etcd.get("/custom/").get("/custom/" + name + "/80"));
        assertEquals(Workloads.SERVICE_NAME, custom.get("svc").asText());
        assertEquals("http://" + IP + ":" + w.hostPort(80), custom.get("url").asText());
        assertEquals(w.hostPort(80), custom.get("port").asInt());
        assertEquals(List.of("blue", "\"quoted\"", "forced"), List.of(JSON.convertValue(custom.get("tags"), String[].class)));
        assertEquals("core", custom.get("team").asText());

        JsonNode sibling = json(Etcd.get("/services-json/").get("/services-json/" + Workloads.SERVICE_NAME + "/" + HOST + ":" + name + ":80"));
        assertEquals(w.hostPort(80), sibling.get("Port").asInt());
        assertEquals("5", sibling.get("Attrs").get("weight").asText());
        assertEquals(3, sibling.get("Tags").size());
        assertTrue(keysOutsidePrefixes().stream().allMatch(k -> k.startsWith("/vulcand/") || k.startsWith("/skydns/")
                || k.startsWith("traefik/") || k.startsWith("/custom/") || k.startsWith("/services-json/")), keysOutsidePrefixes().toString());
    }
}
