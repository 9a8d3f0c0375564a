package io.kubeqpu.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

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
    final QueuedJobs queue = new QueuedJobs();
    /** Every job that named it and is not forgotten ({@link #addJob}, {@link #removeJob}). */
    final Set<JobState> jobs = new LinkedHashSet<>();
    /** Its jobs counted by phase, kept as they change: a 10,000-job batch's status is not a scan. */
    private final int[] byPhase = new int[JobPhase.values().length];

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

    void addJob(JobState j) {
        if (jobs.add(j)) byPhase[j.phase.ordinal()]++;
    }

    void removeJob(JobState j) {
        if (jobs.remove(j)) byPhase[j.phase.ordinal()]--;
    }

    void phaseChanged(JobState j, JobPhase from) {
        if (from == j.phase || !jobs.contains(j)) return;
        byPhase[from.ordinal()]--;
        byPhase[j.phase.ordinal()]++;
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
        return new WorkloadView(spec.id(), spec.kind(), spec.instance(), spec.backend(), phase, reason, message,
                leaseMode, leaseMode == null ? null : leaseAcquiredAt, startedAt, lastJobCompletedAt,
                maxTTLDeadline(), interactiveDeadline(), acceptingJobs, maxTTL, interactiveTTL,
                new WorkloadView.JobCounts(jobs.size(), byPhase[JobPhase.QUEUED.ordinal()],
                        byPhase[JobPhase.RUNNING.ordinal()], byPhase[JobPhase.COMPLETED.ordinal()],
                        byPhase[JobPhase.FAILED.ordinal()], byPhase[JobPhase.CANCELLED.ordinal()]), usageAt(now),
                usageSeconds, leaseReleasedAt, leaseMode == null ? null : usageFrom);
    }
}
