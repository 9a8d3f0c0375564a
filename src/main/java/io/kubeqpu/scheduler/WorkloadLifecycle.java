package io.kubeqpu.scheduler;

import static io.kubeqpu.scheduler.SchedulerState.display;
import static io.kubeqpu.scheduler.SchedulerState.kindOf;
import static io.kubeqpu.scheduler.SchedulerState.orDefault;

import io.kubeqpu.scheduler.Decision.WorkloadPhaseChanged;
import io.kubeqpu.scheduler.Event.WorkloadCancelled;
import io.kubeqpu.scheduler.Event.WorkloadClosed;
import io.kubeqpu.scheduler.Event.WorkloadCreated;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch's or session's transitions: created (checked: backend, instance, the open plan runs no session, §3.7), held
 * while its jobs are being created (§3.3), closed (§3.10: {@code Closed} once no job is left), cancelled (§3.10:
 * its jobs cancelled), deactivated by the interactive TTL (§3.6), expired by the max TTL (§3.5: queued jobs fail,
 * running ones complete unless the usage limit comes first).
 */
final class WorkloadLifecycle {
    private final SchedulerState s;

    WorkloadLifecycle(SchedulerState s) {
        this.s = s;
    }

    void createWorkload(WorkloadCreated e) {
        WorkloadSpec spec = e.spec();
        if (spec == null || spec.id() == null || spec.kind() == null) {
            s.reject(e, Reasons.INVALID_SPEC, "workload id and kind are required");
            return;
        }
        if (s.workloads.containsKey(spec.id())) {
            s.reject(e, Reasons.DUPLICATE, "workload " + spec.id() + " already exists");
            return;
        }
        BackendState b = spec.backend() == null ? null : s.backends.get(spec.backend());
        Duration cap = b == null ? BackendSpec.DEFAULT_MAX_TTL : b.spec.maxTTL();
        Duration maxTTL = Durations.min(orDefault(spec.maxTTL(), s.config.defaultMaxTTL()), cap);
        Duration interactive = orDefault(spec.interactiveTTL(), s.config.defaultInteractiveTTL());
        WorkloadState w = new WorkloadState(spec, maxTTL, interactive);
        s.remember(w);
        InstanceState i = spec.instance() == null ? null : s.instances.get(spec.instance());
        String kind = spec.kind().name().toLowerCase();
        if (!Durations.positive(spec.maxTTL() == null ? maxTTL : spec.maxTTL())
                || !Durations.positive(spec.interactiveTTL() == null ? interactive : spec.interactiveTTL()))
            rejectWorkload(w, Reasons.INVALID_SPEC, "maxTTL and interactiveTTL must be > 0");
        else if (b == null) rejectWorkload(w, Reasons.UNKNOWN_BACKEND, "no backend named " + spec.backend());
        else if (i == null) rejectWorkload(w, Reasons.UNKNOWN_INSTANCE, "no instance named " + display(spec.instance()));
        else if (!i.spec.allows(spec.backend()))
            rejectWorkload(w, Reasons.BACKEND_NOT_ALLOWED, "instance " + display(i.spec.name()) + " may not use backend " + spec.backend());
        else if (spec.kind() == WorkloadKind.SESSION && i.spec.plan() == Plan.OPEN)
            rejectWorkload(w, Reasons.PLAN_NOT_ALLOWED, "instance " + display(i.spec.name()) + " is on the open plan, which cannot run sessions");
        else if (!w.acceptingJobs)
            closeIfDone(w, kind + " created closed, with no jobs");
    }

    void closeWorkload(WorkloadClosed e) {
        WorkloadState w = s.workloads.get(e.workload());
        if (w == null) {
            s.reject(e, Reasons.UNKNOWN_WORKLOAD, "no workload named " + e.workload());
            return;
        }
        // Closing again is harmless and needed: a restored workload is already closed (its spec says so) but may
        // have no job left, and only this event makes it Closed.
        w.acceptingJobs = false;
        closeIfDone(w, "closed and no job is left");
    }

    void hold(Event.WorkloadHeld e) {
        WorkloadState w = s.workloads.get(e.workload());
        if (w == null) {
            s.reject(e, Reasons.UNKNOWN_WORKLOAD, "no workload named " + e.workload());
            return;
        }
        if (w.held == e.held()) return;
        w.held = e.held();
        BackendState b = s.backends.get(w.spec.backend());
        if (b == null) return;
        if (w.held) {
            for (JobState j : new ArrayList<>(w.jobs)) {
                if (j.place == JobState.Place.NORMAL_QUEUE) {
                    b.queue.remove(j);
                    s.jobLifecycle.putInQueue(j, b);
                }
            }
        } else if (!w.holdsLease()) {
            for (JobState j : new ArrayList<>(w.queue)) {
                w.queue.remove(j);
                s.jobLifecycle.putInQueue(j, b);
            }
        }
        s.dirty.add(b.name());
    }

    void cancelWorkload(WorkloadCancelled e) {
        WorkloadState w = s.workloads.get(e.workload());
        if (w == null) {
            s.reject(e, Reasons.UNKNOWN_WORKLOAD, "no workload named " + e.workload());
            return;
        }
        w.acceptingJobs = false;
        String msg = kindOf(w) + " " + display(w.id()) + " was deleted";
        // Phase first, so that ending its last job does not close it on the way.
        if (!w.phase.isTerminal()) endWorkload(w, WorkloadPhase.CANCELLED, Reasons.WORKLOAD_CANCELLED, msg);
        for (JobState j : new ArrayList<>(w.jobs)) {
            if (j.phase == JobPhase.RUNNING) s.jobLifecycle.stopRunning(j, JobPhase.CANCELLED, Reasons.WORKLOAD_CANCELLED, msg);
            else if (j.phase == JobPhase.QUEUED) s.jobLifecycle.terminate(j, JobPhase.CANCELLED, Reasons.WORKLOAD_CANCELLED, msg);
        }
        // Forgotten: its object is gone, and a workload re-created under its name is a new one (GitOps replace).
        s.forget(w);
    }

    void deactivate(WorkloadState w) {
        s.workloadPhase(w, WorkloadPhase.INACTIVE);
        w.reason = Reasons.INTERACTIVE_TTL_EXPIRED;
        w.message = "no job was ready within the interactive TTL of " + Durations.format(w.interactiveTTL);
        s.leases.releaseLease(w);
        s.out.add(new WorkloadPhaseChanged(w.id(), WorkloadPhase.INACTIVE, w.reason, w.message));
    }

    void expire(WorkloadState w) {
        String msg = kindOf(w) + " " + display(w.id()) + " reached its max TTL of " + Durations.format(w.maxTTL);
        // Its queued jobs fail for the reason they do (max TTL), before the lease's release charges the instance and a
        // usage limit reached on the way would fail them for that. Terminal first, so ending them cannot close it.
        s.workloadPhase(w, WorkloadPhase.EXPIRED);
        for (JobState j : new ArrayList<>(w.jobs)) {
            if (j.phase == JobPhase.QUEUED) s.jobLifecycle.terminate(j, JobPhase.FAILED, Reasons.MAX_TTL_EXPIRED, msg);
        }
        endWorkload(w, WorkloadPhase.EXPIRED, Reasons.MAX_TTL_EXPIRED, msg);
        // Running jobs complete, unless that would take the instance past its usage limit: stop them at it.
        InstanceState i = s.instances.get(w.spec.instance());
        List<JobState> running = w.jobs.stream().filter(j -> j.phase == JobPhase.RUNNING).toList();
        if (i == null || running.isEmpty() || i.limit() == null) return;
        double remaining = i.remaining(s.now, s.usage.activeSessionSeconds(i.spec.name()) + s.usage.uncharged(i.spec.name()));
        for (JobState j : running) {
            if (remaining <= 0) {
                s.jobLifecycle.stopRunning(j, JobPhase.CANCELLED, Reasons.USAGE_LIMIT_EXCEEDED,
                        "instance " + display(i.spec.name()) + " reached its usage limit after " + msg);
            } else {
                j.limitDeadline = s.now.plus(Durations.ofSeconds(remaining / running.size()));
                s.timers.add(j.limitDeadline, Timers.Kind.JOB_USAGE_LIMIT, j.id);
            }
        }
    }

    private void rejectWorkload(WorkloadState w, String reason, String message) {
        w.acceptingJobs = false;
        endWorkload(w, WorkloadPhase.REJECTED, reason, message);
    }

    void endWorkload(WorkloadState w, WorkloadPhase phase, String reason, String message) {
        s.workloadPhase(w, phase);
        w.reason = reason;
        w.message = message;
        s.leases.releaseLease(w);
        s.out.add(new WorkloadPhaseChanged(w.id(), phase, reason, message));
    }

    private void closeIfDone(WorkloadState w, String message) {
        if (!w.acceptingJobs && !w.phase.isTerminal() && w.unfinished == 0)
            endWorkload(w, WorkloadPhase.CLOSED, Reasons.ALL_JOBS_DONE, message);
    }

    /** After a job of {@code w} changed: close it when closed and done, or arm its interactive TTL. */
    void touch(WorkloadState w) {
        closeIfDone(w, "closed and its last job ended");
        s.timers.add(w.interactiveDeadline(), Timers.Kind.WORKLOAD_INTERACTIVE, w.id());
    }
}
