package io.github.camelregistrator.health;

import java.util.Map;
import java.util.function.BooleanSupplier;

import io.github.camelregistrator.etcd.Registry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Ready while the Docker event stream is connected, etcd answers, and the lease is alive
 * (dry-run holds none). Not a liveness check: none of these is cured by a restart.
 */
public class ReadinessCheck extends AbstractHealthCheck {
    private final BooleanSupplier docker;
    private final Registry registry;
    private final boolean dryRun;

    public ReadinessCheck(BooleanSupplier dockerConnected, Registry registry, boolean dryRun) {
        super("registrator", "registrator");
        this.docker = dockerConnected;
        this.registry = registry;
        this.dryRun = dryRun;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        boolean dockerUp = docker.getAsBoolean();
        boolean etcdUp = registry.isConnected();
        boolean leaseUp = dryRun || registry.lease() != 0;
        builder.detail("docker.connected", dockerUp)
                .detail("etcd.reachable", etcdUp)
                .detail("lease", dryRun ? "none (dry-run)" : Long.toHexString(registry.lease()))
                .detail("containers.registered", registry.containers());
        if (dockerUp && etcdUp && leaseUp) {
            builder.up();
        } else {
            builder.message((dockerUp ? "" : "docker event stream disconnected; ") + (etcdUp ? "" : "etcd unreachable; ")
                    + (leaseUp ? "" : "no lease")).down();
        }
    }
}
