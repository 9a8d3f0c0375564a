package io.kubeqpu.controller;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/ready} is DOWN while this replica leads but has not finished rebuilding its scheduler from the
 * cluster (nothing is decided before); a standby replica that does not lead has nothing to restore and is ready.
 */
@Readiness
@ApplicationScoped
public class RestoreReadiness implements HealthCheck {
    private final OperatorCore core;

    public RestoreReadiness(OperatorCore core) {
        this.core = core;
    }

    @Override
    public HealthCheckResponse call() {
        var r = HealthCheckResponse.named("kubeqpu-restore");
        if (core.restored()) return r.up().withData("state", "restored").build();
        if (core.restoreError() != null) return r.down().withData("state", "restore failed: " + core.restoreError()).build();
        if (!core.restoring()) return r.up().withData("state", "not leading (a standby replica): nothing restored").build();
        return r.down().withData("state", "restoring the scheduler from the cluster").build();
    }
}
