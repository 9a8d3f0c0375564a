package io.kubeqpu.scheduler;

import java.time.Instant;
import java.util.List;

/**
 * Everything the scheduler needs to carry on after a restart: what the operator reads back from the
 * custom resources' statuses. Deadlines are not stored but derived from their anchors (first job start,
 * last completion, lease acquisition), so a rebuilt scheduler keeps every deadline it had.
 */
public record SchedulerSnapshot(
        List<BackendRecord> backends, List<InstanceRecord> instances, List<WorkloadRecord> workloads, List<JobRecord> jobs) {

    public record BackendRecord(
            BackendSpec spec, boolean up, Instant nextCalibrationAt, Instant calibratingUntil, Instant lastCalibrationAt) {}

    /** {@code recentUsageSeconds} is the decayed fair-share usage as of {@code recentUsageAt} (null: now). */
    public record InstanceRecord(InstanceSpec spec, double periodUsageSeconds, Instant periodStart, double recentUsageSeconds,
                                 Instant recentUsageAt) {}

    /** {@code spec.acceptingJobs()} is its current value. {@code leaseMode} is non-null while it holds the lease. */
    public record WorkloadRecord(
            WorkloadSpec spec,
            WorkloadPhase phase,
            String reason,
            String message,
            LeaseMode leaseMode,
            Instant leaseAcquiredAt,
            Instant leaseReleasedAt,
            Instant startedAt,
            Instant lastJobCompletedAt,
            double usageSeconds,
            Instant usageFrom) {}

    /**
     * {@code spec.submittedAt()} is its queue entry time and {@code arrival} the order the scheduler first saw it (null:
     * unknown), which together keep its FIFO place. {@code stopAt} is set when its
     * workload expired and it must stop at its instance's usage limit.
     */
    public record JobRecord(
            JobSpec spec,
            JobPhase phase,
            String reason,
            String message,
            Instant startedAt,
            Instant completedAt,
            double quantumSeconds,
            int attempts,
            Instant stopAt,
            Long arrival) {}
}
