package io.kubeqpu.scheduler;

import io.kubeqpu.scheduler.Decision.LeaseAcquired;
import io.kubeqpu.scheduler.Decision.LeaseReleased;
import io.kubeqpu.scheduler.Decision.WorkloadPhaseChanged;
import java.time.Duration;
import java.util.ArrayList;

/**
 * Leases: a batch takes a shared one and a session an exclusive one when its job is truly next (§3.3, §3.4); the
 * workload becomes {@code Active} and its queued jobs move to its own queue. A session's usage runs from the moment
 * the backend is its own (§3.4, §3.8) and is charged when the lease is released, which puts its jobs back in the
 * normal queue.
 */
final class Leases {
    private final SchedulerState s;

    Leases(SchedulerState s) {
        this.s = s;
    }

    /** A session's usage starts when the backend is its own: no other instance's job runs on it any more. */
    void markDrained(BackendState b) {
        WorkloadState w = b.leaseHolder;
        if (w == null || w.usageFrom != null || w.spec.kind() != WorkloadKind.SESSION) return;
        for (JobState j : b.running) if (j.workload != w) return;
        w.usageFrom = s.now;
    }

    void activate(WorkloadState w, BackendState b) {
        b.leaseHolder = w;
        w.leaseMode = w.spec.kind().leaseMode();
        w.leaseAcquiredAt = s.now;
        w.usageFrom = null; // set by markDrained (each fill) once the backend is its own
        WorkloadPhase previous = w.phase;
        s.workloadPhase(w, WorkloadPhase.ACTIVE);
        // A reactivation is not a first activation: its status and Event say so (issue 14).
        w.reason = previous == WorkloadPhase.INACTIVE ? Reasons.REACTIVATED : null;
        w.message = previous == WorkloadPhase.INACTIVE ? "reactivated by a new job" : null;
        for (JobState j : w.jobs) {
            if (j.place == JobState.Place.NORMAL_QUEUE) {
                b.queue.remove(j);
                j.place = JobState.Place.WORKLOAD_QUEUE;
                w.queue.add(j);
            }
        }
        if (w.leaseMode == LeaseMode.EXCLUSIVE) {
            // Nothing but the session may start now: staged single jobs go back to their place in the queue.
            for (JobState j : new ArrayList<>(b.staged)) {
                b.staged.remove(j);
                s.jobLifecycle.putInQueue(j, b);
            }
        }
        s.out.add(new LeaseAcquired(w.id(), b.name(), w.leaseMode, s.now));
        s.out.add(new WorkloadPhaseChanged(w.id(), WorkloadPhase.ACTIVE, w.reason, w.message));
    }

    void releaseLease(WorkloadState w) {
        if (!w.holdsLease()) return;
        BackendState b = s.backends.get(w.spec.backend());
        double seconds = w.usageFrom == null ? 0 : Durations.seconds(Duration.between(w.usageFrom, s.now));
        w.usageFrom = null;
        w.leaseMode = null;
        w.leaseReleasedAt = s.now;
        boolean held = b != null && b.leaseHolder == w;
        if (held) b.leaseHolder = null;
        // Charged once the lease no longer counts as active: charging first counted the interval twice against the
        // instance's usage limit (its queued jobs failed UsageLimitExceeded at half their real usage).
        if (w.spec.kind() == WorkloadKind.SESSION) {
            w.usageSeconds += seconds;
            s.usage.chargeInstance(s.instances.get(w.spec.instance()), seconds);
        }
        if (held) {
            for (JobState j : new ArrayList<>(w.queue)) {
                w.queue.remove(j);
                s.jobLifecycle.putInQueue(j, b);
            }
            s.dirty.add(b.name());
        }
        s.out.add(new LeaseReleased(w.id(), w.spec.backend(), s.now));
    }
}
