package io.github.camelregistrator.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.github.camelregistrator.service.ContainerServices;
import io.github.camelregistrator.service.Metadata;
import io.github.camelregistrator.service.Service;
import io.github.camelregistrator.service.ServiceMapper;
import io.github.camelregistrator.service.Skip;

/**
 * The step after the mapping: each service's check is declared to {@link HealthChecks}, and a
 * service whose check does not pass is held back, port by port. Docker's own HEALTHCHECK gating
 * (require-healthy) came first in the mapping, so a service registers only when both pass.
 */
public class CheckGate {
    private final HealthChecks checks;

    public CheckGate(HealthChecks checks) {
        this.checks = checks;
    }

    public HealthChecks checks() {
        return checks;
    }

    /**
     * @param inspector inspects the container whose network this one shares (null when gone)
     * @throws io.github.camelregistrator.service.BadMetadataException naming the label of a malformed check
     */
    public ContainerServices apply(InspectContainerResponse inspect, ContainerServices mapped,
                                   Function<String, InspectContainerResponse> inspector) {
        String id = inspect.getId();
        if (mapped.retain()) {
            // not running: kept under deregister=on-success, with nothing left to probe
            checks.forget(id);
            return mapped;
        }
        if (mapped.skip() != null && mapped.skip().kind() == Skip.Kind.UNHEALTHY) {
            // held back by Docker's health check: its checks keep running and keep their state
            return mapped;
        }
        if (mapped.services().isEmpty()) {
            checks.forget(id);
            return mapped;
        }
        Map<String, String> entries = serviceEntries(mapped.container().vars());
        List<HealthChecks.Declared> declared = new ArrayList<>();
        String ip = null;
        boolean addressed = false;
        for (Service s : mapped.services()) {
            CheckSpec spec = CheckLabels.parse(Metadata.forPort(entries, s.privatePort()), s.privatePort());
            if (spec == null) {
                continue;
            }
            if (!addressed) {
                ip = address(inspect, inspector);
                addressed = true;
            }
            declared.add(new HealthChecks.Declared(key(id, s), mapped.container().name(), spec, ip));
        }
        checks.declare(id, declared);
        if (declared.isEmpty()) {
            return mapped;
        }
        List<Service> up = mapped.services().stream().filter(s -> checks.passing(key(id, s))).toList();
        if (up.size() == mapped.services().size()) {
            return mapped;
        }
        Skip skip = up.isEmpty() ? Skip.of(Skip.Kind.FAILING_CHECK, "its health check"
                + (mapped.services().size() > 1 ? "s fail on each of its " + mapped.services().size() + " port(s)" : " fails")
                + " (see checks)") : null;
        return new ContainerServices(mapped.container(), up, false, skip);
    }

    private static HealthChecks.Key key(String containerId, Service s) {
        return new HealthChecks.Key(containerId, s.privatePort(), s.protocol());
    }

    /** The SERVICE_* entries of env and labels, labels winning, as the mapping reads them. */
    private static Map<String, String> serviceEntries(Map<String, String> vars) {
        Map<String, String> out = new TreeMap<>();
        vars.forEach((k, v) -> {
            if (k.startsWith("SERVICE_") && v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * Where the probe goes, as seen from the host's network namespace: the container's own
     * address on its network (IPv4, else its IPv6 one); with {@code --net=host} the host's
     * loopback; with {@code --net container:<x>} the address of x. Null when it has none.
     */
    static String address(InspectContainerResponse inspect, Function<String, InspectContainerResponse> inspector) {
        String mode = inspect.getHostConfig() == null ? null : inspect.getHostConfig().getNetworkMode();
        if ("host".equals(mode)) {
            return "127.0.0.1";
        }
        if (mode != null && mode.startsWith("container:")) {
            InspectContainerResponse owner = inspector.apply(mode.substring("container:".length()));
            return owner == null || (owner.getHostConfig() != null && String.valueOf(owner.getHostConfig().getNetworkMode())
                    .startsWith("container:")) ? null : address(owner, inspector);
        }
        return ServiceMapper.containerAddress(inspect);
    }
}
