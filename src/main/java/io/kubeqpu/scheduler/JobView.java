package io.kubeqpu.scheduler;

import java.time.Instant;

/**
 * A read-only picture of a job, for status writers and tests.
 *
 * @param arrival the order in which the scheduler first saw the job (monotonic, kept across restarts in status)
 */
public record JobView(
        String id,
        String instance,
        String backend,
        String workload,
        JobPhase phase,
        String reason,
        String message,
        Instant queuedAt,
        Instant startedAt,
        Instant completedAt,
        double quantumSeconds,
        int attempts,
        boolean prepared,
        Instant maxExecutionDeadline,
        Instant usageLimitDeadline,
        long arrival) {

    /** When a Tick must come to stop it, if running: the earlier of its two deadlines. */
    public Instant nextDeadline() {
        if (phase != JobPhase.RUNNING) return null;
        if (usageLimitDeadline != null && usageLimitDeadline.isBefore(maxExecutionDeadline)) return usageLimitDeadline;
        return maxExecutionDeadline;
    }
}
