package io.github.camelregistrator.it;

import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.auth.Permission;
import io.etcd.jetcd.maintenance.AlarmMember;
import io.etcd.jetcd.maintenance.AlarmType;
import io.etcd.jetcd.options.DeleteOption;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * etcd answers but refuses the registrator's writes (its role lacks a permission, or the
 * NOSPACE alarm is raised). Such a refusal is not an outage: the registrator must say so in
 * readiness and a metric without a storm of log lines or a busy loop, and write the key as
 * soon as the cause is lifted. Each test has its own etcd, with auth on and the registrator
 * running as its own user `reg`.
 */
class RefusedWritesIT extends RegistratorTestSupport {
    private static final String PASSWORD = "reg-pw";
    private static final String ROOT_PASSWORD = "root-pw";
    /** Small enough to fill in a second; etcd 3.4 takes any size. */
    private static final long QUOTA = 2 * 1024 * 1024;
    private static final Duration WINDOW = Duration.ofSeconds(10);
    // no initializers: overrides() sets them from the superclass constructor
    private int port;
    private int peer;
    private DedicatedEtcd etcd;
    private Client root;
    private LogCapture log;

    @Override
    protected String[] overrides() {
        port = Etcd.freePort();
        peer = Etcd.freePort();
        return new String[] {"registrator.layouts", "registrator", "registrator.resync", "300",
                "registrator.etcd-endpoints", "http://127.0.0.1:" + port,
                "registrator.etcd-user", "reg", "registrator.etcd-password", PASSWORD};
    }

    /** This test's etcd, set up before the registrator starts: the scenario is the test's name. */
    @Override
    protected void beforeRegistratorStarts() throws Exception {
        boolean rbac = getCurrentTestName().startsWith("rbac");
        etcd = rbac ? new DedicatedEtcd(port, peer) : new DedicatedEtcd(port, peer, "--quota-backend-bytes", String.valueOf(QUOTA));
        root = etcd.enableAuth(ROOT_PASSWORD, "reg", PASSWORD, auth -> {
            grant(auth, "/registrator/");
            if (!rbac) {
                grant(auth, "/services/");
            }
        });
        log = new LogCapture();
    }

    /** Stops the registrator first (Camel's own stop comes later), so that its last calls reach its etcd. */
    @Override
    protected void doPostTearDown() throws Exception {
        if (context != null) {
            context.stop();
        }
        if (root != null) {
            root.close();
        }
        if (etcd != null) {
            etcd.close();
        }
        if (log != null) {
            log.close();
        }
    }

    private static void grant(io.etcd.jetcd.Auth auth, String prefix) throws Exception {
        auth.roleGrantPermission(b("reg"), b(prefix), b(prefix.substring(0, prefix.length() - 1) + "0"),
                Permission.Type.READWRITE).get(10, TimeUnit.SECONDS);
    }

    private Client client(String user, String password) {
        return Client.builder().endpoints(etcd.endpoint()).user(b(user)).password(b(password)).build();
    }

    @Test
    void rbacDenialIsReportedQuietlyAndWrittenOnceGranted() throws Exception {
        // what jetcd says to a write the role does not allow
        try (Client reg = client("reg", PASSWORD)) {
            ExecutionException denied = assertThrows(ExecutionException.class,
                    () -> reg.getKVClient().put(b("/services/probe"), b("x")).get(5, TimeUnit.SECONDS));
            System.out.printf("jetcd, put without permission: %s%n", denied.getCause());
            assertTrue(denied.getCause().getMessage().contains("permission denied"), denied.getCause().toString());
        }
        String name = Workloads.uniqueName("denied");
        Workload w = workloads.start(name, Map.of(), 80);
        assertRefusedQuietly("permission denied");

        root.getAuthClient().roleGrantPermission(b("reg"), b("/services/"), b("/services0"), Permission.Type.READWRITE)
                .get(10, TimeUnit.SECONDS);
        assertWrittenAndReady("permission granted", serviceKey(name), IP + ":" + w.hostPort(80));
    }

    @Test
    void noSpaceIsReportedQuietlyAndWrittenOnceLifted() throws Exception {
        // the lease is granted before the alarm: a grant is refused under NOSPACE too
        Eventually.within(Duration.ofSeconds(15), () -> assertEquals(200, httpGet("/observe/health/ready").statusCode()));
        String filler = "x".repeat(100_000);
        Throwable refused = null;
        for (int i = 0; i < 100 && refused == null; i++) {
            try {
                root.getKVClient().put(b("/filler/" + i), b(filler)).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                refused = e.getCause();
            }
        }
        assertNotNull(refused, "a " + QUOTA + " byte quota never refused a put");
        System.out.printf("jetcd, put over the quota: %s%n", refused);
        assertTrue(refused.getMessage().contains("database space exceeded"), refused.toString());
        List<AlarmMember> alarms = root.getMaintenanceClient().listAlarms().get(10, TimeUnit.SECONDS).getAlarms();
        assertTrue(alarms.stream().anyMatch(a -> a.getAlarmType() == AlarmType.NOSPACE), "no NOSPACE alarm");

        String name = Workloads.uniqueName("nospace");
        Workload w = workloads.start(name, Map.of(), 80);
        assertRefusedQuietly("NOSPACE");

        // etcd's own recovery: free the space, compact, defragment, disarm
        long revision = root.getKVClient().delete(b("/filler/"), DeleteOption.builder().isPrefix(true).build())
                .get(10, TimeUnit.SECONDS).getHeader().getRevision();
        root.getKVClient().compact(revision).get(10, TimeUnit.SECONDS);
        root.getMaintenanceClient().defragmentMember(etcd.endpoint()).get(30, TimeUnit.SECONDS);
        for (AlarmMember alarm : root.getMaintenanceClient().listAlarms().get(10, TimeUnit.SECONDS).getAlarms()) {
            root.getMaintenanceClient().alarmDisarm(alarm).get(10, TimeUnit.SECONDS);
        }
        assertWrittenAndReady("alarm disarmed", serviceKey(name), IP + ":" + w.hostPort(80));
    }

    /**
     * Ten seconds of refused writes: at most 100 log lines, at most 0.2 core on average,
     * readiness 503 saying "etcd refuses writes", and the refusals counted in a metric.
     */
    private void assertRefusedQuietly(String scenario) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int linesBefore = log.lines().size();
        long cpuBefore = os.getProcessCpuTime();
        long started = System.nanoTime();
        Thread.sleep(WINDOW.toMillis());
        double cores = (os.getProcessCpuTime() - cpuBefore) / (double) (System.nanoTime() - started);
        List<String> all = log.lines();
        List<String> window = all.subList(linesBefore, all.size());
        System.out.printf("%s: %d registrator log lines and %.3f cores over %d s of refused writes%n",
                scenario, window.size(), cores, WINDOW.toSeconds());
        HttpResponse<String> ready = httpGet("/observe/health/ready");
        String refusedLines = httpGet("/observe/metrics").body().lines()
                .filter(l -> l.startsWith("registrator_etcd_refused_total")).collect(Collectors.joining("\n"));
        assertAll(
                () -> assertTrue(window.size() <= 100, window.size() + " log lines in 10 s, the first: "
                        + window.subList(0, Math.min(5, window.size()))),
                () -> assertTrue(cores <= 0.2, String.format("%.3f cores on average over 10 s", cores)),
                () -> assertEquals(503, ready.statusCode(), ready.body()),
                () -> assertTrue(ready.body().contains("etcd refuses writes"), ready.body()),
                () -> assertTrue(refusedLines.lines().anyMatch(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > 0),
                        "no registrator_etcd_refused_total above 0 in /observe/metrics: [" + refusedLines + "]"));
    }

    /** Once the cause is lifted: the key within 15 s, on the registrator's lease, and ready again; exactly that in etcd. */
    private void assertWrittenAndReady(String lifted, String key, String value) throws Exception {
        long since = System.nanoTime();
        Eventually.within(Duration.ofSeconds(15), () -> assertEquals(Map.of(key, value), Etcd.get(root, "/services/")));
        System.out.printf("%s: key written %d ms later%n", lifted, (System.nanoTime() - since) / 1_000_000);
        Eventually.within(Duration.ofSeconds(5), () -> assertEquals(200, httpGet("/observe/health/ready").statusCode()));
        assertEquals(Map.of(key, value), Etcd.get(root, "/services/"));
        KeyValue kv = root.getKVClient().get(b(key)).get(5, TimeUnit.SECONDS).getKvs().get(0);
        assertEquals(registry().lease(), kv.getLease(), "the key is not on the registrator's lease");
    }

    private static ByteSequence b(String s) {
        return Etcd.bytes(s);
    }
}
