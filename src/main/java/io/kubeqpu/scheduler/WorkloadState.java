package io.kubeqpu.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/** The scheduler's mutable record of one batch or session. */
final class WorkloadState {
    final WorkloadSpec spec;
    final Duration maxTTL;
    final Duration interactiveTTL;
    boolean acceptingJobs;
    /** Its jobs are still being submitted: they wait in {@link #queue}, outside the normal queue. */
    boolean held;

    WorkloadPhase phase = WorkloadPhase.PENDING;
    String reason;
    String message;

    /** Non-null while it holds its backend's lease. */
    LeaseMode leaseMode;
    Instant leaseAcquiredAt;
    /** When its lease was last released: session jobs still running after that are charged on their own. */
    Instant leaseReleasedAt;

    /** First job start: the max-TTL anchor. */
    Instant startedAt;
    /** The interactive-TTL anchor. */
    Instant lastJobCompletedAt;

    /** Its queued jobs while it holds the lease (they bypass the normal queue). */
    final TreeSet<JobState> queue = new TreeSet<>(JobState.FIFO);
    /** Every job that named it and is not forgotten. */
    final Set<JobState> jobs = new LinkedHashSet<>();

    /** Jobs queued or running: kept as a count so that a 10,000-job batch is not scanned per job. */
    int unfinished;

    /** Batch: QPU seconds of its jobs; session: wall-clock seconds while active (closed intervals). */
    double usageSeconds;
    /**
     * A session holding the lease: when the backend became its own (the other instances' running jobs drained). Its
     * wall-clock usage counts from here, not from the lease, which it takes while they still run. Null until then.
     */
    Instant usageFrom;

    WorkloadState(WorkloadSpec spec, Duration maxTTL, Duration interactiveTTL) {
        this.spec = spec;
        this.maxTTL = maxTTL;
        this.interactiveTTL = interactiveTTL;
        this.acceptingJobs = spec.acceptingJobs();
    }

    String id() {
        return spec.id();
    }

    boolean holdsLease() {
        return leaseMode != null;
    }

    Instant maxTTLDeadline() {
        return startedAt == null ? null : startedAt.plus(maxTTL);
    }


    /** Active with nothing queued or running: the interactive TTL runs from the last completion. */
    Instant interactiveDeadline() {
        if (phase != WorkloadPhase.ACTIVE || unfinished > 0) return null;
        Instant anchor = leaseAcquiredAt;
        if (lastJobCompletedAt != null && (anchor == null || lastJobCompletedAt.isAfter(anchor))) anchor = lastJobCompletedAt;
        return anchor == null ? null : anchor.plus(interactiveTTL);
    }

    double usageAt(Instant now) {
        if (spec.kind() == WorkloadKind.SESSION && holdsLease() && usageFrom != null)
            return usageSeconds + Durations.seconds(Duration.between(usageFrom, now));
        return usageSeconds;
    }

    WorkloadView view(Instant now) {
        int queued = 0, running = 0, completed = 0, failed = 0, cancelled = 0;
        for (JobState j : jobs) {
            switch (j.phase) {
                case QUEUED -> queued++;
                case RUNNING -> running++;
                case COMPLETED -> completed++;
                case FAILED -> failed++;
                case CANCELLED -> cancelled++;
            }
        }
        return new WorkloadView(spec.id(), spec.kind(), spec.instance(), spec.backend(), phase, reason, message,
                leaseMode, leaseMode == null ? null : leaseAcquiredAt, startedAt, lastJobCompletedAt,
                maxTTLDeadline(), interactiveDeadline(), acceptingJobs, maxTTL, interactiveTTL,
                new WorkloadView.JobCounts(jobs.size(), queued, running, completed, failed, cancelled), usageAt(now),
                usageSeconds, leaseReleasedAt, leaseMode == null ? null : usageFrom);
    }
}
