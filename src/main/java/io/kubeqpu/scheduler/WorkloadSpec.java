package io.kubeqpu.scheduler;

import java.time.Duration;

/**
 * A batch or a session.
 *
 * @param maxTTL         wall-clock limit from its first job's start; never paused. Null = the default.
 * @param interactiveTTL how long it keeps its lease with no job ready after a job completes. Null = the default.
 */
public record WorkloadSpec(
        String id,
        WorkloadKind kind,
        String instance,
        String backend,
        Duration maxTTL,
        Duration interactiveTTL,
        boolean acceptingJobs) {

    public static WorkloadSpec session(String id, String instance, String backend) {
        return new WorkloadSpec(id, WorkloadKind.SESSION, instance, backend, null, null, true);
    }

    public static WorkloadSpec batch(String id, String instance, String backend) {
        return new WorkloadSpec(id, WorkloadKind.BATCH, instance, backend, null, null, true);
    }

    public WorkloadSpec withTTLs(Duration max, Duration interactive) {
        return new WorkloadSpec(id, kind, instance, backend, max, interactive, acceptingJobs);
    }
}
