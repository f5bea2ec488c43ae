package io.github.camelregistrator.service;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceMapperTest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final ServiceMapper mapper = new ServiceMapper("host1", "10.0.0.5", false, false);

    /** A running container as Docker's inspect answers, with published ports "80/tcp=32768". */
    static InspectContainerResponse inspect(String name, String image, Map<String, String> labels, List<String> env,
                                            String... ports) throws Exception {
        return JSON.treeToValue(tree(name, image, labels, env, ports), InspectContainerResponse.class);
    }

    static ObjectNode tree(String name, String image, Map<String, String> labels, List<String> env, String... ports) {
        ObjectNode root = JSON.createObjectNode();
        root.put("Id", "c0ffee" + "0".repeat(58));
        root.put("Name", "/" + name);
        root.putObject("State").put("Running", true).put("Paused", false);
        ObjectNode config = root.putObject("Config");
        config.put("Image", image);
        config.put("Hostname", "c0ffee000000");
        ArrayNode envNode = config.putArray("Env");
        env.forEach(envNode::add);
        ObjectNode labelNode = config.putObject("Labels");
        labels.forEach(labelNode::put);
        ObjectNode exposed = config.putObject("ExposedPorts");
        ObjectNode settings = root.putObject("NetworkSettings");
        settings.put("IPAddress", "172.17.0.9");
        ObjectNode published = settings.putObject("Ports");
        for (String p : ports) {
            String[] kv = p.split("=");
            exposed.putObject(kv[0]);
            if (kv.length > 1) {
                published.putArray(kv[0]).addObject().put("HostIp", "0.0.0.0").put("HostPort", kv[1]);
            } else {
                published.putNull(kv[0]);
            }
        }
        root.putObject("HostConfig").put("NetworkMode", "default");
        return root;
    }

    private List<Service> services(InspectContainerResponse i) {
        return mapper.map(i).services();
    }

    @Test
    void defaultNameIsTheImageBaseName() {
        assertEquals("foobar", ServiceMapper.defaultName("gliderlabs/foobar:1.2"));
        assertEquals("app", ServiceMapper.defaultName("registry.local:5000/team/app:3"));
        assertEquals("app", ServiceMapper.defaultName("app@sha256:abcd"));
        assertEquals("nginx", ServiceMapper.defaultName("nginx"));
    }

    @Test
    void onePublishedPortIsOneServiceWithoutSuffix() throws Exception {
        List<Service> s = services(inspect("web", "nginx:1.25", Map.of(), List.of(), "80/tcp=32768"));
        assertEquals(1, s.size());
        assertEquals("nginx", s.get(0).name());
        assertEquals("host1:web:80", s.get(0).id());
        assertEquals("10.0.0.5:32768", s.get(0).address());
    }

    @Test
    void severalPortsAreSuffixedWithThePrivatePort() throws Exception {
        List<Service> s = services(inspect("web", "nginx", Map.of(), List.of(), "80/tcp=32768", "443/tcp=32769"));
        assertEquals(List.of("nginx-80", "nginx-443"), s.stream().map(Service::name).toList());
    }

    @Test
    void exposedButUnpublishedPortsAreNotServices() throws Exception {
        List<Service> s = services(inspect("web", "nginx", Map.of(), List.of(), "80/tcp=32768", "9000/tcp"));
        assertEquals(List.of("nginx"), s.stream().map(Service::name).toList());
    }

    @Test
    void serviceNameOverridesAndStillSuffixes() throws Exception {
        List<Service> s = services(inspect("web", "nginx", Map.of(), List.of("SERVICE_NAME=front"),
                "80/tcp=1", "443/tcp=2"));
        assertEquals(List.of("front-80", "front-443"), s.stream().map(Service::name).toList());
    }

    @Test
    void portNameOverridesWithoutSuffix() throws Exception {
        List<Service> s = services(inspect("web", "nginx", Map.of("SERVICE_443_NAME", "tls"),
                List.of("SERVICE_NAME=front"), "80/tcp=1", "443/tcp=2"));
        assertEquals(List.of("front-80", "tls"), s.stream().map(Service::name).toList());
    }

    @Test
    void idOverrides() throws Exception {
        List<Service> s = services(inspect("web", "nginx", Map.of("SERVICE_80_ID", "web-a"),
                List.of("SERVICE_ID=all"), "80/tcp=1", "443/tcp=2"));
        assertEquals(List.of("web-a", "all"), s.stream().map(Service::id).toList());
    }

    @Test
    void labelWinsOverEnv() throws Exception {
        List<Service> s = services(inspect("web", "nginx", Map.of("SERVICE_NAME", "fromlabel"),
                List.of("SERVICE_NAME=fromenv"), "80/tcp=1"));
        assertEquals("fromlabel", s.get(0).name());
    }

    @Test
    void ignoreSkipsContainerAndPort() throws Exception {
        assertTrue(services(inspect("web", "nginx", Map.of("SERVICE_IGNORE", "true"), List.of(), "80/tcp=1")).isEmpty());
        List<Service> s = services(inspect("web", "nginx", Map.of("SERVICE_80_IGNORE", "1"), List.of(),
                "80/tcp=1", "443/tcp=2"));
        assertEquals(List.of("nginx-443"), s.stream().map(Service::name).toList());
    }

    @Test
    void tagsAndAttributes() throws Exception {
        Service s = services(inspect("web", "nginx", Map.of("SERVICE_TAGS", "a, b,,c", "SERVICE_REGION", "eu",
                "SERVICE_80_WEIGHT", "5"), List.of(), "80/tcp=1")).get(0);
        assertEquals(List.of("a", "b", "c"), s.tags());
        assertEquals(Map.of("region", "eu", "weight", "5"), s.attributes());
    }

    @Test
    void udpGetsIdSuffixAndTag() throws Exception {
        Service s = services(inspect("dns", "coredns", Map.of(), List.of(), "53/udp=5353")).get(0);
        assertEquals("host1:dns:53:udp", s.id());
        assertEquals("udp", s.protocol());
        assertEquals(List.of("udp"), s.tags());
    }

    @Test
    void explicitModeNeedsServiceName() throws Exception {
        ServiceMapper explicit = new ServiceMapper("host1", "10.0.0.5", true, false);
        assertTrue(explicit.map(inspect("web", "nginx", Map.of(), List.of(), "80/tcp=1")).services().isEmpty());
        assertEquals(1, explicit.map(inspect("web", "nginx", Map.of("SERVICE_NAME", "x"), List.of(), "80/tcp=1"))
                .services().size());
    }

    @Test
    void internalModeUsesContainerAddressAndExposedPort() throws Exception {
        ServiceMapper internal = new ServiceMapper("host1", "10.0.0.5", false, true);
        List<Service> s = internal.map(inspect("web", "nginx", Map.of(), List.of(), "80/tcp=32768", "9000/tcp"))
                .services();
        assertEquals(List.of("172.17.0.9:80", "172.17.0.9:9000"), s.stream().map(Service::address).toList());
    }

    @Test
    void stoppedContainerHasNoServices() throws Exception {
        ObjectNode tree = tree("web", "nginx", Map.of(), List.of(), "80/tcp=1");
        ((ObjectNode) tree.get("State")).put("Running", false);
        assertTrue(mapper.map(JSON.treeToValue(tree, InspectContainerResponse.class)).services().isEmpty());
    }

    @Test
    void hostileNamesAreEncodedIntoOneSegment() throws Exception {
        Service s = services(inspect("web", "nginx", Map.of("SERVICE_NAME", "../../etc/passwd", "SERVICE_ID", "a\nb"),
                List.of(), "80/tcp=1")).get(0);
        assertEquals("..%2F..%2Fetc%2Fpasswd", s.name());
        assertEquals("a%0Ab", s.id());
        assertEquals("%2E%2E", Names.segment(".."));
        assertEquals("caf%C3%A9", Names.segment("café"));
    }

    @Test
    void dnsLabelsAreValidAndDistinct() {
        assertEquals("web", Names.dnsLabel("web"));
        assertEquals("host1-web-80-" + String.format("%08x", crc("host1:web:80")), Names.dnsLabel("host1:web:80"));
        assertTrue(Names.dnsLabel("x".repeat(100)).length() <= 63);
        assertTrue(!Names.dnsLabel("a:b").equals(Names.dnsLabel("a-b")));
        assertTrue(Names.dnsLabel("--").matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?"));
        assertEquals("local/skydns", Names.reversedDomain("skydns.local"));
    }

    private static long crc(String s) {
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return c.getValue();
    }

    @Test
    void forcedTagsIpLabelAndNamesFilter() throws Exception {
        ServiceMapper m = new ServiceMapper(new ServiceMapper.Options("host1", "10.0.0.5", false, false,
                java.util.regex.Pattern.compile("web.*"), List.of("forced"), "ip", false, false));
        Service s = m.map(inspect("web1", "nginx", Map.of("SERVICE_TAGS", "a", "ip", "192.168.9.9"), List.of(), "80/tcp=1"))
                .services().get(0);
        assertEquals(List.of("a", "forced"), s.tags());
        assertEquals("192.168.9.9:1", s.address());
        assertTrue(m.map(inspect("db1", "nginx", Map.of(), List.of(), "80/tcp=1")).services().isEmpty());
        assertThrows(BadMetadataException.class,
                () -> m.map(inspect("web2", "nginx", Map.of("ip", "not-an-ip"), List.of(), "80/tcp=1")));
    }

    @Test
    void ipv6AdvertiseAddressIsBracketed() throws Exception {
        Service s = new ServiceMapper("h", "fd00::5", false, false)
                .map(inspect("web", "nginx", Map.of(), List.of(), "80/tcp=32768")).services().get(0);
        assertEquals("[fd00::5]:32768", s.address());
    }

    @Test
    void healthGatingAndFailedContainers() throws Exception {
        ServiceMapper gated = new ServiceMapper(new ServiceMapper.Options("h", "10.0.0.5", false, false, null,
                List.of(), null, true, true));
        ObjectNode tree = tree("web", "nginx", Map.of(), List.of(), "80/tcp=1");
        ((ObjectNode) tree.get("State")).putObject("Health").put("Status", "starting");
        assertTrue(gated.map(JSON.treeToValue(tree, InspectContainerResponse.class)).services().isEmpty());
        ((ObjectNode) tree.get("State").get("Health")).put("Status", "healthy");
        assertEquals(1, gated.map(JSON.treeToValue(tree, InspectContainerResponse.class)).services().size());
        ((ObjectNode) tree.get("Config").get("Labels")).put(ServiceMapper.REQUIRE_HEALTHY_LABEL, "false");
        ((ObjectNode) tree.get("State").get("Health")).put("Status", "unhealthy");
        assertEquals(1, gated.map(JSON.treeToValue(tree, InspectContainerResponse.class)).services().size());

        ((ObjectNode) tree.get("State")).put("Running", false).put("ExitCode", 3);
        assertTrue(gated.map(JSON.treeToValue(tree, InspectContainerResponse.class)).retain());
        ((ObjectNode) tree.get("State")).put("ExitCode", 0);
        assertTrue(!gated.map(JSON.treeToValue(tree, InspectContainerResponse.class)).retain());
    }

    @Test
    void nulAndHugeValuesAreRefused() throws Exception {
        assertThrows(BadMetadataException.class,
                () -> mapper.map(inspect("web", "nginx", Map.of("SERVICE_NAME", "a\u0000b"), List.of(), "80/tcp=1")));
        assertThrows(BadMetadataException.class,
                () -> mapper.map(inspect("web", "nginx", Map.of("SERVICE_TAGS", "x".repeat(20_000)), List.of(), "80/tcp=1")));
    }

    static ServiceMapper mapper(boolean internal, String ipLabel, boolean advertiseIpSet, List<String> descriptors) {
        return new ServiceMapper(new ServiceMapper.Options("h", "10.0.0.5", false, internal, null, List.of(), ipLabel,
                false, false, advertiseIpSet, descriptors));
    }

    @Test
    void anIpLabelInCidrFormGivesItsAddressPart() throws Exception {
        ServiceMapper m = mapper(false, "ip", true, List.of());
        assertEquals("198.51.100.5:1", m.map(inspect("web", "nginx", Map.of("ip", "198.51.100.5/24"), List.of(), "80/tcp=1"))
                .services().get(0).address());
        assertEquals("[fd00::7]:1", m.map(inspect("web", "nginx", Map.of("ip", "fd00::7/64"), List.of(), "80/tcp=1"))
                .services().get(0).address());
        assertThrows(BadMetadataException.class,
                () -> m.map(inspect("web", "nginx", Map.of("ip", "198.51.100.5/x"), List.of(), "80/tcp=1")));
        assertThrows(BadMetadataException.class,
                () -> m.map(inspect("web", "nginx", Map.of("ip", "/24"), List.of(), "80/tcp=1")));
    }

    @Test
    void internalModeWithASharedNetworkUsesTheOtherContainersAddress() throws Exception {
        ServiceMapper m = mapper(true, null, false, List.of());
        ObjectNode tree = tree("sidecar", "nginx", Map.of(), List.of(), "8080/tcp");
        ((ObjectNode) tree.get("HostConfig")).put("NetworkMode", "container:abc123");
        ((ObjectNode) tree.get("NetworkSettings")).put("IPAddress", "");
        InspectContainerResponse sidecar = JSON.treeToValue(tree, InspectContainerResponse.class);
        assertEquals("abc123", m.networkContainer(sidecar));
        ObjectNode pod = tree("pod", "pause", Map.of(), List.of());
        ((ObjectNode) pod.get("NetworkSettings")).put("IPAddress", "172.17.0.42");
        assertEquals(List.of("172.17.0.42:8080"), m.map(sidecar, JSON.treeToValue(pod, InspectContainerResponse.class))
                .services().stream().map(Service::address).toList());
        // the other container gone: skipped as bad metadata, with the reason
        BadMetadataException e = assertThrows(BadMetadataException.class, () -> m.map(sidecar, null));
        assertTrue(e.getMessage().contains("abc123"), e.getMessage());
        // outside internal mode the other container is not needed
        assertEquals(null, mapper(false, null, false, List.of()).networkContainer(sidecar));
    }

    @Test
    void aPortBoundToOneHostAddressAdvertisesItUnlessAnAdvertiseIpIsGiven() throws Exception {
        ObjectNode tree = tree("web", "nginx", Map.of(), List.of(), "80/tcp=32768", "443/tcp=32769");
        ((ObjectNode) tree.get("NetworkSettings").get("Ports").get("80/tcp").get(0)).put("HostIp", "127.0.0.2");
        InspectContainerResponse bound = JSON.treeToValue(tree, InspectContainerResponse.class);
        assertEquals(List.of("127.0.0.2:32768", "10.0.0.5:32769"), mapper(false, null, false, List.of()).map(bound)
                .services().stream().map(Service::address).toList());
        assertEquals(List.of("10.0.0.5:32768", "10.0.0.5:32769"), mapper(false, null, true, List.of()).map(bound)
                .services().stream().map(Service::address).toList());
        // the ip label wins over both, as in gliderlabs
        ((ObjectNode) tree.get("Config").get("Labels")).put("ip", "192.0.2.1");
        assertEquals(List.of("192.0.2.1:32768", "192.0.2.1:32769"), mapper(false, "ip", false, List.of())
                .map(JSON.treeToValue(tree, InspectContainerResponse.class)).services().stream().map(Service::address).toList());
        // "::" is every address, like 0.0.0.0
        ((ObjectNode) tree.get("NetworkSettings").get("Ports").get("80/tcp").get(0)).put("HostIp", "::");
        assertEquals("10.0.0.5:32768", mapper(false, null, false, List.of())
                .map(JSON.treeToValue(tree, InspectContainerResponse.class)).services().get(0).address());
    }
}
