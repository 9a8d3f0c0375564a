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
        boolean prepared) {}
