package io.kubeqpu.scheduler;

import java.time.Instant;

/** A read-only picture of a job, for status writers and tests. */
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
        Instant usageLimitDeadline) {

    /** When a Tick must come to stop it, if running: the earlier of its two deadlines. */
    public Instant nextDeadline() {
        if (phase != JobPhase.RUNNING) return null;
        if (usageLimitDeadline != null && usageLimitDeadline.isBefore(maxExecutionDeadline)) return usageLimitDeadline;
        return maxExecutionDeadline;
    }
}
