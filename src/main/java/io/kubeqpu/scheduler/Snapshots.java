package io.kubeqpu.scheduler;

import static io.kubeqpu.scheduler.SchedulerState.orDefault;

import java.time.Duration;
import java.time.Instant;

/**
 * Snapshot and restore (DESIGN §2 "Identity, deletion, restart"): what a restarted scheduler needs, and rebuilding the
 * state from it. Running jobs stay running, queued jobs keep their arrival order (§3.11), leases stay with their
 * holders, and deadlines follow from the stored anchors; a malformed record is skipped and noted, never fatal.
 */
final class Snapshots {
    private final SchedulerState s;

    Snapshots(SchedulerState s) {
        this.s = s;
    }

    /** What a restarted scheduler needs; the operator keeps the same facts in the resources' statuses. */
    SchedulerSnapshot take() {
        var bs = s.backends.values().stream().map(b -> new SchedulerSnapshot.BackendRecord(
                b.spec, b.up, b.nextCalibrationAt, b.calibratingUntil, b.lastCalibrationAt)).toList();
        var is = s.instances.values().stream().map(i -> {
            i.rollPeriod(s.now);
            return new SchedulerSnapshot.InstanceRecord(i.spec, i.periodUsage, i.periodStart, s.fairShare.decayed(i.scaledRecentUsage, s.now), s.now);
        }).toList();
        var ws = s.workloads.values().stream().map(w -> new SchedulerSnapshot.WorkloadRecord(
                new WorkloadSpec(w.id(), w.spec.kind(), w.spec.instance(), w.spec.backend(), w.spec.maxTTL(),
                        w.spec.interactiveTTL(), w.acceptingJobs),
                w.phase, w.reason, w.message, w.leaseMode, w.leaseAcquiredAt, w.leaseReleasedAt, w.startedAt,
                w.lastJobCompletedAt, w.usageSeconds, w.leaseMode == null ? null : w.usageFrom)).toList();
        var js = s.jobs.values().stream().sorted(JobState.FIFO).map(j -> new SchedulerSnapshot.JobRecord(
                // A job of a deleted workload stays with that workload, not with one re-created under its name.
                new JobSpec(j.id, j.instance, j.backend, j.workload == null || s.workloads.get(j.workload.id()) != j.workload
                        ? null : j.workload.id(), 1,
                        j.maxExecutionTime, j.queuedAt),
                j.phase, j.reason, j.message, j.startedAt, j.completedAt, j.quantumSeconds, j.attempts, j.limitDeadline, j.seq)).toList();
        return new SchedulerSnapshot(bs, is, ws, js);
    }

    void load(SchedulerSnapshot snap) {
        for (var r : snap.backends()) {
            BackendState b = new BackendState(r.spec(), s.now);
            b.up = r.up();
            b.nextCalibrationAt = r.nextCalibrationAt() != null || r.spec().calibrationInterval() == null
                    ? r.nextCalibrationAt() : s.now.plus(r.spec().calibrationInterval());
            b.calibratingUntil = r.calibratingUntil();
            b.lastCalibrationAt = r.lastCalibrationAt();
            s.backends.put(r.spec().name(), b);
            s.timers.add(b.nextCalibrationAt, Timers.Kind.CALIBRATION_DUE, b.name());
            s.timers.add(b.calibratingUntil, Timers.Kind.CALIBRATION_END, b.name());
        }
        for (var r : snap.instances()) {
            InstanceState i = new InstanceState(r.spec(), s.now);
            if (i.periodStart.equals(r.periodStart())) i.periodUsage = r.periodUsageSeconds();
            // Decayed from when it was written to now, as if the operator had been watching all along.
            Instant at = r.recentUsageAt() == null || r.recentUsageAt().isAfter(s.now) ? s.now : r.recentUsageAt();
            i.scaledRecentUsage = s.fairShare.scaled(r.recentUsageSeconds(), at);
            s.instances.put(r.spec().name(), i);
        }
        for (var r : snap.workloads()) {
            WorkloadSpec spec = r.spec();
            if (spec == null || spec.id() == null || spec.kind() == null || r.phase() == null) {
                s.loadProblems.add("workload record without id, kind or phase skipped");
                continue;
            }
            BackendState b = spec.backend() == null ? null : s.backends.get(spec.backend());
            Duration cap = b == null ? BackendSpec.DEFAULT_MAX_TTL : b.spec.maxTTL();
            WorkloadState w = new WorkloadState(spec, Durations.min(orDefault(spec.maxTTL(), s.config.defaultMaxTTL()), cap),
                    orDefault(spec.interactiveTTL(), s.config.defaultInteractiveTTL()));
            w.phase = r.phase();
            w.reason = r.reason();
            w.message = r.message();
            w.startedAt = r.startedAt();
            w.lastJobCompletedAt = r.lastJobCompletedAt();
            w.leaseReleasedAt = r.leaseReleasedAt();
            w.usageSeconds = r.usageSeconds();
            if (r.leaseMode() != null && w.phase == WorkloadPhase.ACTIVE && b != null && b.leaseHolder == null) {
                w.leaseMode = r.leaseMode();
                w.leaseAcquiredAt = r.leaseAcquiredAt();
                w.usageFrom = r.usageFrom();
                b.leaseHolder = w;
            } else if (w.phase == WorkloadPhase.ACTIVE) {
                // Active without a lease cannot be: treat it as inactive so that its next job re-enters the queue.
                w.phase = WorkloadPhase.INACTIVE;
            }
            s.remember(w);
            if (!w.phase.isTerminal()) s.timers.add(w.maxTTLDeadline(), Timers.Kind.WORKLOAD_MAX_TTL, w.id());
        }
        for (var r : snap.jobs().stream().sorted(java.util.Comparator
                .comparing((SchedulerSnapshot.JobRecord r) -> r.spec() == null ? null : r.spec().submittedAt(),
                        java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()))
                .thenComparing(SchedulerSnapshot.JobRecord::arrival, java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()))
                .thenComparing(r -> r.spec() == null ? "" : String.valueOf(r.spec().id()))).toList()) {
            JobSpec spec = r.spec();
            if (spec == null || spec.id() == null || r.phase() == null) {
                s.loadProblems.add("job record without id or phase skipped");
                continue;
            }
            WorkloadState w = spec.workload() == null ? null : s.workloads.get(spec.workload());
            // The arrival order it had (kept in status); new arrivals continue after the highest one restored.
            long seq = r.arrival() != null ? r.arrival() : s.nextSeq;
            s.nextSeq = Math.max(s.nextSeq, seq + 1);
            JobState j = new JobState(spec.id(), seq, spec.instance(), spec.backend(), w,
                    orDefault(spec.maxExecutionTime(), s.config.defaultMaxExecutionTime()), spec.submittedAt());
            j.reason = r.reason();
            j.message = r.message();
            j.attempts = r.attempts();
            j.quantumSeconds = r.quantumSeconds();
            j.completedAt = r.completedAt();
            j.startedAt = r.startedAt(); // a finished job keeps when it ran (its status shows it)
            s.jobs.put(j.id, j);
            if (w != null) w.addJob(j);
            // A job whose backend, instance or workload no longer exists (or never did) is kept as it ended.
            BackendState b = spec.backend() == null ? null : s.backends.get(spec.backend());
            InstanceState i = spec.instance() == null ? null : s.instances.get(spec.instance());
            if (r.phase() == JobPhase.COMPLETED && b != null && j.startedAt != null && j.completedAt != null)
                b.meanRunSeconds.add(Durations.seconds(Duration.between(j.startedAt, j.completedAt)));
            if (r.phase().isTerminal() || b == null || i == null) {
                s.jobPhase(j, r.phase().isTerminal() ? r.phase() : JobPhase.FAILED);
                continue;
            }
            if (w != null) w.unfinished++;
            if (r.phase() == JobPhase.RUNNING) {
                j.setPhase(JobPhase.RUNNING);
                j.startedAt = r.startedAt();
                j.place = JobState.Place.RUNNING;
                j.limitDeadline = r.stopAt();
                b.running.add(j);
                i.running++;
                s.timers.add(j.maxExecutionDeadline(), Timers.Kind.JOB_MAX_EXECUTION, j.id);
                s.timers.add(j.limitDeadline, Timers.Kind.JOB_USAGE_LIMIT, j.id);
            } else {
                i.queued++;
                s.jobLifecycle.putInQueue(j, b);
            }
        }
        for (WorkloadState w : s.workloads.values()) s.timers.add(w.interactiveDeadline(), Timers.Kind.WORKLOAD_INTERACTIVE, w.id());
        s.dirty.addAll(s.backends.keySet());
    }
}
