package io.kubeqpu.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;

/** The scheduler's mutable record of one job. Package-private: the outside sees {@link JobView}. */
final class JobState {
    /** FIFO: submission time, then arrival order. */
    static final Comparator<JobState> FIFO = JobState::fifo;

    /** FIFO written out: status writers compare jobs this way thousands of times per pass. */
    static int fifo(JobState a, JobState b) {
        int c = a.queuedAt.compareTo(b.queuedAt);
        if (c != 0) return c;
        c = Long.compare(a.seq, b.seq);
        return c != 0 ? c : a.id.compareTo(b.id);
    }

    /** Where a job is, so it can be taken out in O(log n). */
    enum Place { NORMAL_QUEUE, WORKLOAD_QUEUE, STAGED, RUNNING, NOWHERE }

    final String id;
    final long seq;
    final String instance;
    final String backend;
    final WorkloadState workload;
    final Duration maxExecutionTime;
    final Instant queuedAt;

    JobPhase phase = JobPhase.QUEUED;
    Place place = Place.NOWHERE;
    String reason;
    String message;
    Instant startedAt;
    Instant completedAt;
    double quantumSeconds;
    int attempts;
    boolean prepared;
    boolean preparing;
    /** While preparing: when the QPU is asked again (or, after {@link Scheduler#PREPARE_ATTEMPTS}, the job fails). */
    Instant prepareDeadline;
    int prepareRequests;
    /** Set after its workload's max TTL expired: it is stopped here so its instance stays within its limit. */
    Instant limitDeadline;

    JobState(String id, long seq, String instance, String backend, WorkloadState workload,
             Duration maxExecutionTime, Instant queuedAt) {
        this.id = id;
        this.seq = seq;
        this.instance = instance;
        this.backend = backend;
        this.workload = workload;
        this.maxExecutionTime = maxExecutionTime;
        this.queuedAt = queuedAt;
    }

    /** Every phase change goes through here, so the workload's counts by phase stay true without a scan. */
    void setPhase(JobPhase to) {
        JobPhase from = phase;
        phase = to;
        if (workload != null) workload.phaseChanged(this, from);
    }

    Instant maxExecutionDeadline() {
        return startedAt == null ? null : startedAt.plus(maxExecutionTime);
    }

    JobView view() {
        return new JobView(id, instance, backend, workload == null ? null : workload.spec.id(), phase, reason, message,
                queuedAt, startedAt, completedAt, quantumSeconds, attempts, prepared,
                maxExecutionDeadline(), limitDeadline, seq);
    }

    @Override
    public String toString() {
        return id + "(" + phase + ")";
    }
}
