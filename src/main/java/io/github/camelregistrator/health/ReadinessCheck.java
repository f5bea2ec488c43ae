package io.github.camelregistrator.health;

import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Ready while the Docker event stream is connected and etcd takes this host's writes under a
 * live lease (dry-run holds none). Not a liveness check: none of these is cured by a restart.
 * It reads suppliers only, so health depends on nothing that depends on it.
 */
public class ReadinessCheck extends AbstractHealthCheck {
    private final BooleanSupplier docker;
    private final Supplier<String> dockerFault;
    private final Supplier<String> etcdFault;
    private final Supplier<Long> lease;
    private final Supplier<Integer> containers;
    private final boolean dryRun;

    /**
     * @param dockerFault why Docker does not answer, or null
     * @param etcdFault why etcd does not take this host's writes (unreachable, refusing), or null
     * @param lease     this host's lease, 0 while it has none
     */
    public ReadinessCheck(BooleanSupplier dockerConnected, Supplier<String> dockerFault, Supplier<String> etcdFault, Supplier<Long> lease,
                          Supplier<Integer> containers, boolean dryRun) {
        super("registrator", "registrator");
        this.docker = dockerConnected;
        this.dockerFault = dockerFault;
        this.etcdFault = etcdFault;
        this.lease = lease;
        this.containers = containers;
        this.dryRun = dryRun;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        boolean dockerUp = docker.getAsBoolean();
        String fault = etcdFault.get();
        long id = lease.get();
        boolean leaseUp = dryRun || id != 0;
        builder.detail("docker.connected", dockerUp)
                .detail("etcd.reachable", fault == null || !fault.startsWith("etcd unreachable"))
                .detail("lease", dryRun ? "none (dry-run)" : Long.toHexString(id))
                .detail("containers.registered", containers.get());
        if (fault != null) {
            builder.detail("etcd.fault", fault);
        }
        if (dockerUp && fault == null && leaseUp) {
            builder.up();
        } else {
            java.util.List<String> why = new java.util.ArrayList<>();
            if (!dockerUp) {
                why.add(dockerFault.get() == null ? "docker event stream disconnected" : dockerFault.get());
            }
            if (fault != null) {
                why.add(fault);
            }
            if (!leaseUp) {
                why.add("no lease");
            }
            builder.message(String.join("; ", why)).down();
        }
    }
}
