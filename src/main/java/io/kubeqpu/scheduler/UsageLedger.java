package io.kubeqpu.scheduler;

import static io.kubeqpu.scheduler.SchedulerState.display;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Usage and limits: a job is charged its QPU time, a batch the sum of its jobs', a session the wall clock while it
 * holds the lease (§3.8); charging feeds fair share's decayed usage (§3.2, rescaled before it overflows) and undoes
 * the arming of single jobs so fair share chooses again; an instance over its usage limit has its waiting jobs failed
 * and its running ones stopped at the limit (§3.7).
 */
final class UsageLedger {
    private final SchedulerState s;

    UsageLedger(SchedulerState s) {
        this.s = s;
    }

    /**
     * A lowered limit holds for jobs already running too: each is stopped when the instance's remaining quantum seconds
     * (shared among them) run out, at once when none remain.
     */
    void stopAtLimit(InstanceState i, String why) {
        List<JobState> running = new ArrayList<>();
        for (BackendState b : s.backends.values())
            for (JobState j : b.running) if (i.spec.name().equals(j.instance)) running.add(j);
        if (running.isEmpty()) return;
        double remaining = i.remaining(s.now, activeSessionSeconds(i.spec.name()) + uncharged(i.spec.name()));
        for (JobState j : running) {
            if (remaining <= 0) {
                s.jobLifecycle.stopRunning(j, JobPhase.CANCELLED, Reasons.USAGE_LIMIT_EXCEEDED, "stopped: " + why + " and it is used up");
            } else {
                Instant at = s.now.plus(Durations.ofSeconds(remaining / running.size()));
                if (j.limitDeadline == null || at.isBefore(j.limitDeadline)) {
                    j.limitDeadline = at;
                    s.timers.add(j.limitDeadline, Timers.Kind.JOB_USAGE_LIMIT, j.id);
                }
            }
        }
    }

    /** Fails every queued job of an instance that has used up its quantum seconds for the period. */
    void failOverLimit(InstanceState i) {
        String msg = usageLimitMessage(i);
        for (BackendState b : s.backends.values()) {
            for (JobState j : b.queue.jobsOf(i.spec.name())) s.jobLifecycle.terminate(j, JobPhase.FAILED, Reasons.USAGE_LIMIT_EXCEEDED, msg);
            for (JobState j : new ArrayList<>(b.staged))
                if (j.instance.equals(i.spec.name())) s.jobLifecycle.terminate(j, JobPhase.FAILED, Reasons.USAGE_LIMIT_EXCEEDED, msg);
            if (b.leaseHolder != null && i.spec.name().equals(b.leaseHolder.spec.instance()))
                for (JobState j : new ArrayList<>(b.leaseHolder.queue))
                    s.jobLifecycle.terminate(j, JobPhase.FAILED, Reasons.USAGE_LIMIT_EXCEEDED, msg);
        }
    }

    /** Charges a finished or stopped job's QPU time per its mode (DESIGN §3.8). */
    void charge(JobState j, double seconds) {
        InstanceState i = s.instances.get(j.instance);
        WorkloadState w = j.workload;
        if (w != null && w.spec.kind() == WorkloadKind.SESSION) {
            // A session is charged wall-clock while it holds the lease; only time run after it let go is extra.
            if (w.holdsLease() || w.leaseReleasedAt == null) return;
            Instant from = Durations.max(w.leaseReleasedAt, j.startedAt);
            seconds = Math.min(seconds, Math.max(0, Durations.seconds(Duration.between(from, s.now))));
        } else if (w != null) {
            w.usageSeconds += seconds;
        }
        chargeInstance(i, seconds);
        s.meanJobSeconds.add(seconds);
    }

    void chargeInstance(InstanceState i, double seconds) {
        if (i == null || seconds <= 0) return;
        i.rollPeriod(s.now);
        i.periodUsage += seconds;
        if (s.fairShare.needsRescale(s.now)) rescaleFairShare();
        i.scaledRecentUsage += s.fairShare.scaled(seconds, s.now);
        for (BackendState b : s.backends.values()) {
            b.queue.reorder(i);
            unstageSingleJobs(b);
        }
        if (i.remaining(s.now, activeSessionSeconds(i.spec.name())) <= 0) failOverLimit(i);
    }

    /**
     * Fair share changed: single jobs armed ahead go back to their place (prepared, so no time is lost when they
     * are picked again) and the next ones are chosen anew. Workload jobs stay: their lease already chose them.
     */
    private void unstageSingleJobs(BackendState b) {
        boolean any = false;
        for (JobState j : new ArrayList<>(b.staged)) {
            if (j.workload == null) {
                b.staged.remove(j);
                s.jobLifecycle.putInQueue(j, b);
                any = true;
            }
        }
        if (any) s.dirty.add(b.name());
    }

    private void rescaleFairShare() {
        double factor = s.fairShare.rescaleTo(s.now);
        for (InstanceState i : s.instances.values()) i.scaledRecentUsage *= factor;
        for (BackendState b : s.backends.values()) for (InstanceState i : s.instances.values()) b.queue.reorder(i);
    }

    /** Wall-clock seconds of the instance's sessions that hold a lease now, not yet charged. */
    double activeSessionSeconds(String instance) {
        double total = 0;
        for (BackendState b : s.backends.values()) {
            WorkloadState w = b.leaseHolder;
            if (w != null && w.spec.kind() == WorkloadKind.SESSION && w.usageFrom != null && instance.equals(w.spec.instance()))
                total += Durations.seconds(Duration.between(w.usageFrom, s.now));
        }
        return total;
    }

    /** QPU seconds the instance's running single and batch jobs have used so far, charged only when they end. */
    double uncharged(String instance) {
        double total = 0;
        for (BackendState b : s.backends.values())
            for (JobState j : b.running)
                if (instance.equals(j.instance) && (j.workload == null || j.workload.spec.kind() == WorkloadKind.BATCH))
                    total += Durations.seconds(Duration.between(j.startedAt, s.now));
        return total;
    }

    String usageLimitMessage(InstanceState i) {
        return "instance " + display(i.spec.name()) + " used its limit of " + i.limit() + " quantum seconds for the period from "
                + i.periodStart;
    }
}
