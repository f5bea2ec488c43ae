package io.github.camelregistrator.service;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import org.junit.jupiter.api.Test;

import static io.github.camelregistrator.service.ServiceMapperTest.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which network internal mode advertises, against inspect JSON as Docker gives it. */
class NetworksTest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * A container in this network mode, with this legacy (default bridge) address, on these
     * networks ("name=ip", an empty ip: on it without an address).
     */
    static ObjectNode on(String mode, String legacyIp, Map<String, String> labels, String... networks) {
        ObjectNode tree = tree("web", "nginx", labels, List.of(), "80/tcp=32768", "9000/tcp");
        ((ObjectNode) tree.get("HostConfig")).put("NetworkMode", mode);
        ObjectNode settings = (ObjectNode) tree.get("NetworkSettings");
        settings.put("IPAddress", legacyIp);
        ObjectNode nets = settings.putObject("Networks");
        for (String n : networks) {
            String[] kv = n.split("=", -1);
            nets.putObject(kv[0]).put("NetworkID", "id" + kv[0] + "0123456789abcdef").put("IPAddress", kv[1]);
        }
        return tree;
    }

    private static InspectContainerResponse inspect(ObjectNode tree) throws Exception {
        return JSON.treeToValue(tree, InspectContainerResponse.class);
    }

    @Test
    void theChoiceAndWhy() throws Exception {
        // mode, legacy IP, networks, wanted, wanted by; expected network, ip (null: none), why contains
        Object[][] table = {
            // the present rule: the network mode's network, else the default bridge, else the first by name
            {"front", "", new String[] {"back=10.1.0.2", "front=10.2.0.2"}, null, null, "front", "10.2.0.2", "its network mode"},
            {"default", "172.17.0.9", new String[] {"bridge=172.17.0.9"}, null, null, "bridge", "172.17.0.9", "the default bridge"},
            {"default", "", new String[] {"zeta=10.3.0.2", "back=10.1.0.2"}, null, null, "back", "10.1.0.2", "first of its networks by name"},
            // a swarm task: ingress sorts first but is never chosen by the present rule
            {"default", "", new String[] {"ingress=10.0.0.4", "swx-net=10.0.1.3"}, null, null, "swx-net", "10.0.1.3", "ingress left out"},
            {"ingress", "", new String[] {"ingress=10.0.0.4", "swx-net=10.0.1.3"}, null, null, "swx-net", "10.0.1.3", "ingress left out"},
            {"default", "", new String[] {"ingress=10.0.0.4"}, null, null, null, null, "but ingress, which is never chosen"},
            {"front", "", new String[] {"front="}, null, null, null, null, "no address on any of its networks"},
            // a named network wins over every rule, ingress too when named
            {"front", "", new String[] {"back=10.1.0.2", "front=10.2.0.2"}, "back", "SERVICE_NETWORK", "back", "10.1.0.2", "SERVICE_NETWORK"},
            {"default", "172.17.0.9", new String[] {"bridge=172.17.0.9", "back=10.1.0.2"}, "back", "registrator.network", "back", "10.1.0.2", "registrator.network"},
            {"default", "", new String[] {"ingress=10.0.0.4", "swx-net=10.0.1.3"}, "ingress", "SERVICE_NETWORK", "ingress", "10.0.0.4", "SERVICE_NETWORK"},
            // by id, whole or a 12-character prefix
            {"default", "", new String[] {"back=10.1.0.2"}, "idback0123456789abcdef", "SERVICE_NETWORK", "back", "10.1.0.2", "SERVICE_NETWORK"},
            {"default", "", new String[] {"back=10.1.0.2"}, "idback012345", "SERVICE_NETWORK", "back", "10.1.0.2", "SERVICE_NETWORK"},
            {"default", "", new String[] {"back=10.1.0.2"}, "idback", "SERVICE_NETWORK", null, null, "not on"},
            // not on it: the networks it is on are named, a label's value is not
            {"front", "", new String[] {"front=10.2.0.2"}, "secret-net", "SERVICE_NETWORK", null, null, "not on the network SERVICE_NETWORK names (it is on: front)"},
            {"front", "", new String[] {"front=10.2.0.2"}, "back", "registrator.network", "back", null, "not on network back of registrator.network (it is on: front)"},
            {"front", "", new String[] {"back=", "front=10.2.0.2"}, "back", "registrator.network", "back", null, "without an address there"},
        };
        for (Object[] row : table) {
            InspectContainerResponse i = inspect(on((String) row[0], (String) row[1], Map.of(), (String[]) row[2]));
            boolean show = "registrator.network".equals(row[4]);
            Networks.Choice c = Networks.choose(i, (String) row[3], (String) row[4], show);
            String where = java.util.Arrays.toString(row);
            assertEquals(row[5], c.network(), where + " gave " + c);
            assertEquals(row[6], c.ip(), where + " gave " + c);
            assertTrue(c.why().contains((String) row[7]), where + " gave " + c);
            if (!show && row[3] != null) {
                assertFalse(c.why().contains((String) row[3]), "a label's value shown: " + c);
            }
        }
    }

    private static ServiceMapper internal(String network) {
        return new ServiceMapper(new ServiceMapper.Options("h", "10.0.0.5", false, true, null, List.of(), null,
                false, false, true, List.of(), network));
    }

    private static List<String> addresses(ContainerServices s) {
        return s.services().stream().map(Service::address).toList();
    }

    @Test
    void labelsPerPortOverTheContainersOverTheOption() throws Exception {
        Map<String, String> labels = Map.of("SERVICE_NETWORK", "back", "SERVICE_9000_NETWORK", "front");
        ObjectNode tree = on("default", "", labels, "back=10.1.0.2", "front=10.2.0.2", "mid=10.4.0.2");
        assertEquals(List.of("10.1.0.2:80", "10.2.0.2:9000"), addresses(internal("mid").map(inspect(tree))));
        ContainerServices optionOnly = internal("mid").map(inspect(on("default", "", Map.of(), "back=10.1.0.2", "mid=10.4.0.2")));
        assertEquals(List.of("10.4.0.2:80", "10.4.0.2:9000"), addresses(optionOnly));
        Service s = optionOnly.services().get(0);
        assertEquals(new Networks.Choice("mid", "10.4.0.2", "registrator.network"), s.network());
        // SERVICE_NETWORK steers, it is no attribute
        assertEquals(Map.of(), internal(null).map(inspect(tree)).services().get(0).attributes());
        // outside internal mode the published port and the advertise address, whatever the label says
        ContainerServices published = new ServiceMapper("h", "10.0.0.5", false, false).map(inspect(tree));
        assertEquals(List.of("10.0.0.5:32768"), addresses(published));
        assertEquals(null, published.services().get(0).network());
    }

    @Test
    void notOnTheNamedNetworkSkipsThePortAndSaysWhy() throws Exception {
        ContainerServices none = internal("back").map(inspect(on("front", "", Map.of(), "front=10.2.0.2")));
        assertTrue(none.services().isEmpty());
        assertEquals(Skip.Kind.NETWORK, none.skip().kind());
        assertEquals("internal mode: not on network back of registrator.network (it is on: front)", none.skip().detail());
        ContainerServices label = internal(null).map(inspect(on("front", "", Map.of("SERVICE_NETWORK", "gone"), "front=10.2.0.2")));
        assertEquals("internal mode: not on the network SERVICE_NETWORK names (it is on: front)", label.skip().detail());
        // one port's network missing: the other port is still registered
        ContainerServices one = internal(null).map(inspect(on("front", "", Map.of("SERVICE_80_NETWORK", "gone"),
                "front=10.2.0.2")));
        assertEquals(List.of("10.2.0.2:9000"), addresses(one));
        // no address at all under the present rule stays bad metadata, as before
        assertThrows(BadMetadataException.class, () -> internal(null).map(inspect(on("default", "", Map.of(), "ingress=10.0.0.4"))));
    }
}
