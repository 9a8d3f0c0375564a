package io.kubeqpu.scheduler;

import java.time.Duration;
import java.time.Instant;

/**
 * A read-only picture of a batch or session, for status writers and tests.
 *
 * @param usageSeconds       usage as billed so far, a session's open lease interval included
 * @param closedUsageSeconds usage without the open lease interval: what a restore starts from
 * @param usageFrom          a session holding the lease: when its wall-clock usage started (the backend became its
 *                           own); null while other instances' jobs still drain
 */
public record WorkloadView(
        String id,
        WorkloadKind kind,
        String instance,
        String backend,
        WorkloadPhase phase,
        String reason,
        String message,
        LeaseMode leaseMode,
        Instant leaseAcquiredAt,
        Instant startedAt,
        Instant lastJobCompletedAt,
        Instant maxTTLDeadline,
        Instant interactiveDeadline,
        boolean acceptingJobs,
        Duration maxTTL,
        Duration interactiveTTL,
        JobCounts jobs,
        double usageSeconds,
        double closedUsageSeconds,
        Instant leaseReleasedAt,
        Instant usageFrom) {

    public record JobCounts(int total, int queued, int running, int completed, int failed, int cancelled) {}
}
