package io.kubeqpu.scheduler;

import java.time.Duration;
import java.time.Instant;

/**
 * One primitive request as the scheduler sees it: who, where, how long it may run.
 *
 * @param backend          null when it inherits its workload's backend
 * @param instance         null when it inherits its workload's instance
 * @param workload         the batch or session it belongs to; null in job mode
 * @param shots            total executions, only validated here (the QPU computes real usage)
 * @param maxExecutionTime null = the default (3 h); capped by the backend's limit
 * @param submittedAt      its place in FIFO order (the CR's creation time); null = when the scheduler sees it
 */
public record JobSpec(
        String id,
        String instance,
        String backend,
        String workload,
        long shots,
        Duration maxExecutionTime,
        Instant submittedAt) {

    public static JobSpec of(String id, String instance, String backend) {
        return new JobSpec(id, instance, backend, null, 1024, null, null);
    }

    public static JobSpec inWorkload(String id, String workload) {
        return new JobSpec(id, null, null, workload, 1024, null, null);
    }

    public JobSpec withMaxExecutionTime(Duration d) {
        return new JobSpec(id, instance, backend, workload, shots, d, submittedAt);
    }

    public JobSpec withShots(long s) {
        return new JobSpec(id, instance, backend, workload, s, maxExecutionTime, submittedAt);
    }

    public JobSpec submittedAt(Instant at) {
        return new JobSpec(id, instance, backend, workload, shots, maxExecutionTime, at);
    }
}
