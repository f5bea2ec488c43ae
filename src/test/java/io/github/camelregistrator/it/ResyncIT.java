package io.github.camelregistrator.it;

import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import io.github.camelregistrator.it.Workloads.Workload;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The timer's full pass re-inspects only a container whose list entry changed, or that an
 * event synced since: unchanged containers keep their mapping, and a changed one is never
 * written back as it was.
 */
class ResyncIT extends RegistratorTestSupport {
    private final DockerClient docker = DockerClientFactory.instance().client();

    @Override
    protected String[] overrides() {
        return new String[] {"registrator.layouts", "registrator", "registrator.resync", "1"};
    }

    @Test
    void timerPassesSkipUnchangedContainersAndNeverRestoreARenamedOne() throws Exception {
        String a = Workloads.uniqueName("resync-a");
        String b = Workloads.uniqueName("resync-b");
        Workload wa = workloads.start(a, Map.of(), 80);
        Workload wb = workloads.start(b, Map.of(), 80);
        assertExactly("/services/", Map.of(serviceKey(a), IP + ":" + wa.hostPort(80), serviceKey(b), IP + ":" + wb.hostPort(80)));

        // five timer passes over an engine where nothing changes: the old pass inspected every
        // running container each time; now each is inspected at most once (every tenth pass)
        awaitPasses(reconcilePasses(), 2);
        int running = docker.listContainersCmd().exec().size();
        double before = dockerInspects();
        awaitPasses(reconcilePasses(), 5);
        double inspected = dockerInspects() - before;
        System.out.printf("ResyncIT: %d running containers, %.0f inspects in 5 timer passes%n", running, inspected);
        assertTrue(inspected <= running, inspected + " inspects in 5 passes over " + running + " unchanged containers");

        // a rename changes the key; later passes, reusing nothing stale, keep the new one only
        String renamed = Workloads.uniqueName("resync-c");
        docker.renameContainerCmd(wa.id()).withName(renamed).exec();
        assertExactly("/services/", Map.of(serviceKey(renamed), IP + ":" + wa.hostPort(80), serviceKey(b), IP + ":" + wb.hostPort(80)));
        awaitPasses(reconcilePasses(), 3);
        assertExactly("/services/", Map.of(serviceKey(renamed), IP + ":" + wa.hostPort(80), serviceKey(b), IP + ":" + wb.hostPort(80)));

        // a full pass asked for (as after a reconnect) still inspects everything
        double beforeFull = dockerInspects();
        reconcileNow();
        assertTrue(dockerInspects() - beforeFull >= 2, "a full pass asked for inspected " + (dockerInspects() - beforeFull));
        workloads.remove(wa);
        workloads.remove(wb);
        assertExactly("/services/", Map.of());
        awaitPasses(reconcilePasses(), 2);
        assertExactly("/services/", Map.of());
    }
}
