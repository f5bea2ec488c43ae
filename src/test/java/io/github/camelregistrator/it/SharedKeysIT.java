package io.github.camelregistrator.it;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Two host-ids share one etcd (one in this JVM, one as the built jar; each picks its
 * containers by name from the one engine). Shared vulcand and Havok keys stay until the last
 * member of either host goes, and survive the clean stop or the crash of the host that wrote them.
 */
class SharedKeysIT extends RegistratorTestSupport {
    private static final String BACKEND = "/vulcand/backends/shared/backend";
    private static final String FRONTEND = "/vulcand/frontends/shared/frontend";
    private static final String PATH = "/vulcand/hosts/shared.local/locations/home/path";
    private static final String UPSTREAM = "/vulcand/hosts/shared.local/locations/home/upstream";
    private static final Set<String> SHARED = Set.of(BACKEND, FRONTEND, PATH, UPSTREAM);
    private JarRegistrator other;

    @Override
    protected String[] overrides() {
        // one sync worker: events are handled in order, which awaitEarlierEventsHandled relies on
        return new String[] {"registrator.layouts", "vulcand,havok", "registrator.vulcand.permit-frontend", "true",
                "registrator.names", "^a-", "registrator.workers", "1"};
    }

    private JarRegistrator startOther() throws Exception {
        other = JarRegistrator.start("--etcd-endpoints=" + Etcd.endpoint(), "--host-id=host-b", "--advertise-ip=10.0.0.6",
                "--layouts=vulcand,havok", "--vulcand.permit-frontend=true", "--names=^b-", "--ttl=5");
        return other;
    }

    @AfterEach
    void stopOther() throws Exception {
        if (other != null) {
            other.close();
        }
    }

    private Workload member(String prefix) {
        return workloads.start(Workloads.busybox(Workloads.uniqueName(prefix)).withExposedPorts(80)
                .withEnv(Map.of("VS_80_BACKEND_ID", "shared", "VS_80_FRONTEND_ROUTE", "Host(`shared.local`)"))
                .withCreateContainerCmdModifier(cmd -> cmd.withHostName("shared")));
    }

    private static Map<String, String> vulcand() {
        return Etcd.get("/vulcand/");
    }

    private static void sharedPresent(boolean present) {
        for (String key : SHARED) {
            assertEquals(present, vulcand().containsKey(key), key + " in " + vulcand().keySet());
        }
    }

    private static long leaseOf(String key) {
        try {
            var kv = Etcd.kv(key);
            if (kv == null) {
                throw new AssertionError(key + " is missing");
            }
            return kv.getLease();
        } catch (Exception e) {
            throw new AssertionError(key, e);
        }
    }

    private static long serversOf(String host) {
        return vulcand().keySet().stream().filter(k -> k.contains("/servers/" + host + "_")).count();
    }

    private static String serverOf(String host) {
        return vulcand().keySet().stream().filter(k -> k.contains("/servers/" + host + "_")).findFirst()
                .orElseThrow(() -> new AssertionError("no server of " + host + " in " + vulcand().keySet()));
    }

    private static Map<String, Long> sharedRevisions() {
        Map<String, Long> out = modRevisions("/vulcand/");
        out.keySet().retainAll(SHARED);
        return out;
    }

    @Test
    void sharedKeysStayUntilTheLastMemberOfEitherHostGoes() throws Exception {
        startOther();
        Workload a = member("a");
        Workload b = member("b");
        Eventually.within(Duration.ofSeconds(30), () -> {
            assertEquals(1, serversOf(HOST));
            assertEquals(1, serversOf("host-b"));
            sharedPresent(true);
        });
        workloads.remove(a);
        eventually(() -> assertEquals(0, serversOf(HOST)));
        // whichever host wrote the shared keys, they end up on host-b's lease: this host hands
        // over those it held once its own member is gone
        long heir = leaseOf(serverOf("host-b"));
        eventually(() -> {
            for (String key : SHARED) {
                assertEquals(heir, leaseOf(key), key + " not on host-b's lease");
            }
        });
        Map<String, Long> revisions = sharedRevisions();
        // and once this host has handled a's remaining events, they are still there, untouched
        String barrier = Workloads.uniqueName("a-barrier");
        awaitEarlierEventsHandled(Workloads.busybox(barrier).withExposedPorts(80).withEnv(Map.of("VS_80_BACKEND_ID", "barrier")),
                "/vulcand/backends/barrier/servers/" + HOST + "_" + barrier + "_80");
        sharedPresent(true);
        assertEquals(revisions, sharedRevisions());
        assertEquals(1, serversOf("host-b"));

        workloads.remove(b);
        Eventually.within(Duration.ofSeconds(10), () -> assertEquals(Map.of(), vulcand()));
    }

    @Test
    void sharedKeysOutliveTheCleanStopOfTheHostThatWroteThem() throws Exception {
        JarRegistrator b = startOther();
        member("b");
        Eventually.within(Duration.ofSeconds(30), () -> sharedPresent(true));
        assertNotEquals(registry().lease(), Etcd.kv(BACKEND).getLease());
        Workload a = member("a");
        eventually(() -> assertEquals(1, serversOf(HOST)));

        b.terminate();
        Eventually.within(Duration.ofSeconds(15), () -> assertEquals(0, serversOf("host-b")));
        sharedPresent(true);
        for (String key : SHARED) {
            assertEquals(registry().lease(), Etcd.kv(key).getLease(), key + " was not handed over");
        }
        workloads.remove(a);
        eventually(() -> assertEquals(Map.of(), vulcand()));
    }

    @Test
    void sharedKeysSurviveTheCrashOfTheHostThatWroteThem() throws Exception {
        JarRegistrator b = startOther();
        member("b");
        Eventually.within(Duration.ofSeconds(30), () -> sharedPresent(true));
        long lost = Etcd.kv(BACKEND).getLease();
        assertNotEquals(registry().lease(), lost);
        Workload a = member("a");
        eventually(() -> assertEquals(1, serversOf(HOST)));

        // kill -9: nothing is handed over; the keys go with host-b's lease (ttl 5 s), and the
        // watch of this host writes them again under its own lease
        b.kill();
        Eventually.within(Duration.ofSeconds(8), () -> {
            assertEquals(0, serversOf("host-b"));
            sharedPresent(true);
            for (String key : SHARED) {
                assertEquals(registry().lease(), leaseOf(key), key + " not taken over");
            }
        });
        workloads.remove(a);
        eventually(() -> assertEquals(Map.of(), vulcand()));
    }
}
