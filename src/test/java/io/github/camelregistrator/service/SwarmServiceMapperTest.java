package io.github.camelregistrator.service;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A swarm service, as a manager's {@code docker service inspect} shows it, made services. */
class SwarmServiceMapperTest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Map<String, String> NETWORKS = Map.of(
            "ingressid0123456789abcdef", "ingress", "backid0123456789abcdef", "back", "frontid0123456789abcdef", "front");

    /**
     * The service {@code web} (id svc1) as Docker 20.10 answers it.
     *
     * @param ports {@code target/published/mode[/udp]}
     * @param vips  {@code network=address/24}
     */
    static com.github.dockerjava.api.model.Service service(Map<String, String> labels, String mode, String[] ports,
                                                           String... vips) throws Exception {
        ObjectNode s = JSON.createObjectNode().put("ID", "svc1");
        ObjectNode spec = s.putObject("Spec").put("Name", "web");
        spec.set("Labels", JSON.valueToTree(labels));
        spec.putObject("TaskTemplate").putObject("ContainerSpec")
                .put("Image", "camel-registrator-test/busybox:local@sha256:0123");
        ObjectNode endpointSpec = spec.putObject("EndpointSpec").put("Mode", mode);
        ArrayNode specPorts = endpointSpec.putArray("Ports");
        ObjectNode endpoint = s.putObject("Endpoint");
        ArrayNode resolved = endpoint.putArray("Ports");
        for (String p : ports) {
            String[] f = p.split("/");
            ObjectNode port = JSON.createObjectNode().put("Protocol", f.length > 3 ? f[3] : "tcp")
                    .put("TargetPort", Integer.parseInt(f[0])).put("PublishMode", f[2]);
            specPorts.add(port.deepCopy());
            resolved.add(port.put("PublishedPort", Integer.parseInt(f[1])));
        }
        ArrayNode virtual = endpoint.putArray("VirtualIPs");
        for (String v : vips) {
            virtual.addObject().put("NetworkID", v.split("=")[0] + "id0123456789abcdef").put("Addr", v.split("=")[1]);
        }
        return JSON.treeToValue(s, com.github.dockerjava.api.model.Service.class);
    }

    private static SwarmServiceMapper.Result map(String network, Map<String, String> labels, String mode, String[] ports,
                                                 String... vips) throws Exception {
        return SwarmServiceMapper.map(service(labels, mode, ports, vips), NETWORKS,
                new SwarmServiceMapper.Options("m1", "192.0.2.10", network, List.of()));
    }

    private static String shown(List<Service> services) {
        return String.join(" ", services.stream().map(s -> s.name() + "/" + s.id() + "=" + s.address()).toList());
    }

    @Test
    void vipsAndIngressPortsAsATable() throws Exception {
        String[] ingress80 = {"80/8080/ingress"};
        // registrator.network, service labels, endpoint mode, ports, VIPs; expected VIP services, ingress services, skip
        Object[][] table = {
            // the overlay's VIP, never ingress'; the published port at this host's address, keyed by host
            {null, Map.of(), "vip", ingress80, new String[] {"ingress=10.0.0.5/24", "back=10.0.1.2/24"},
                "web/swarm:web:80=10.0.1.2:80", "web/m1:swarm:web:8080=192.0.2.10:8080", null},
            // host-mode ports: the VIP still forwards to the target port; no ingress key
            {null, Map.of(), "vip", new String[] {"80/30080/host"}, new String[] {"back=10.0.1.2/24"},
                "web/swarm:web:80=10.0.1.2:80", "", null},
            // the first overlay by name, unless registrator.network or SERVICE_NETWORK names one
            {null, Map.of(), "vip", ingress80, new String[] {"front=10.0.2.2/24", "back=10.0.1.2/24"},
                "web/swarm:web:80=10.0.1.2:80", "web/m1:swarm:web:8080=192.0.2.10:8080", null},
            {"front", Map.of(), "vip", ingress80, new String[] {"front=10.0.2.2/24", "back=10.0.1.2/24"},
                "web/swarm:web:80=10.0.2.2:80", "web/m1:swarm:web:8080=192.0.2.10:8080", null},
            {"frontid01234", Map.of(), "vip", ingress80, new String[] {"front=10.0.2.2/24", "back=10.0.1.2/24"},
                "web/swarm:web:80=10.0.2.2:80", "web/m1:swarm:web:8080=192.0.2.10:8080", null},
            {"back", Map.of("SERVICE_NETWORK", "front"), "vip", ingress80, new String[] {"front=10.0.2.2/24", "back=10.0.1.2/24"},
                "web/swarm:web:80=10.0.2.2:80", "web/m1:swarm:web:8080=192.0.2.10:8080", null},
            // a named network without a VIP: no VIP key, the ingress port still
            {"gone", Map.of(), "vip", ingress80, new String[] {"back=10.0.1.2/24"},
                "", "web/m1:swarm:web:8080=192.0.2.10:8080", null},
            {"gone", Map.of(), "vip", new String[] {"80/30080/host"}, new String[] {"back=10.0.1.2/24"},
                "", "", "NETWORK: no VIP on network gone of registrator.network (it has VIPs on: back)"},
            // only on ingress: its VIP is the mesh's
            {null, Map.of(), "vip", ingress80, new String[] {"ingress=10.0.0.5/24"},
                "", "web/m1:swarm:web:8080=192.0.2.10:8080", null},
            {null, Map.of(), "vip", new String[] {"80/30080/host"}, new String[] {},
                "", "", "NETWORK: no VIP: attach the service to an overlay network (--network)"},
            // names, ids and tags from the service's own labels; several ports are suffixed
            {null, Map.of("SERVICE_NAME", "api", "SERVICE_81_NAME", "metrics", "SERVICE_81_ID", "m"), "vip",
                new String[] {"80/8080/ingress", "81/8081/ingress"}, new String[] {"back=10.0.1.2/24"},
                "api-80/swarm:web:80=10.0.1.2:80 metrics/m=10.0.1.2:81",
                "api-80/m1:swarm:web:8080=192.0.2.10:8080 metrics/m1:swarm:web:8081=192.0.2.10:8081", null},
            {null, Map.of("SERVICE_81_IGNORE", "true"), "vip", new String[] {"80/8080/ingress", "81/8081/ingress"},
                new String[] {"back=10.0.1.2/24"}, "web-80/swarm:web:80=10.0.1.2:80", "web-80/m1:swarm:web:8080=192.0.2.10:8080", null},
            // udp ports are ids of their own
            {null, Map.of(), "vip", new String[] {"53/5353/ingress/udp"}, new String[] {"back=10.0.1.2/24"},
                "web/swarm:web:53:udp=10.0.1.2:53", "web/m1:swarm:web:5353:udp=192.0.2.10:5353", null},
            // dnsrr: no VIP, and Docker allows only host-mode ports
            {null, Map.of(), "dnsrr", new String[] {"80/30080/host"}, new String[] {},
                "", "", "NO_PORTS: endpoint mode dnsrr has no VIP, and no port is published in ingress mode"},
            {null, Map.of(), "vip", new String[] {}, new String[] {"back=10.0.1.2/24"},
                "", "", "NO_PORTS: the swarm service publishes no ports"},
            {null, Map.of("SERVICE_IGNORE", "1"), "vip", ingress80, new String[] {"back=10.0.1.2/24"},
                "", "", "IGNORED: SERVICE_IGNORE is set on the swarm service"},
        };
        for (Object[] row : table) {
            @SuppressWarnings("unchecked")
            SwarmServiceMapper.Result r = map((String) row[0], (Map<String, String>) row[1], (String) row[2],
                    (String[]) row[3], (String[]) row[4]);
            String why = java.util.Arrays.deepToString(row);
            assertEquals(row[5], shown(r.vips()), why);
            assertEquals(row[6], shown(r.ingress()), why);
            assertEquals(row[7], r.skip() == null ? null : r.skip().kind() + ": " + r.skip().detail(), why);
        }
    }

    @Test
    void servicesCarryWhatLayoutsAndExplainRead() throws Exception {
        SwarmServiceMapper.Result r = map(null, Map.of("SERVICE_TAGS", "a,b", "SERVICE_REGION", "eu"), "vip",
                new String[] {"80/8080/ingress"}, "ingress=10.0.0.5/24", "back=10.0.1.2/24");
        Service vip = r.vips().get(0);
        assertEquals(List.of("a", "b"), vip.tags());
        assertEquals(Map.of("region", "eu", "swarm_service", "web", "swarm_address", "vip"), vip.attributes());
        assertEquals(new Networks.Choice("back", "10.0.1.2", "the first of its networks by name, ingress left out"),
                vip.network());
        assertEquals("ingress", r.ingress().get(0).attributes().get("swarm_address"));
        assertNull(r.ingress().get(0).network());
        // the image as the user gave it, the service as the container layouts read
        assertEquals("camel-registrator-test/busybox:local", r.info().image());
        assertEquals("web", r.info().name());
        assertEquals("svc1", r.info().id());
        assertEquals("web", r.info().swarm().service());
        assertEquals("m1", vip.hostId());
    }

    @Test
    void aBadLabelIsRefused() {
        assertThrows(BadMetadataException.class, () -> map(null, Map.of("SERVICE_NAME", "x".repeat(1025)), "vip",
                new String[] {"80/8080/ingress"}, "back=10.0.1.2/24"));
    }
}
