package io.kubeqpu.scheduler;

import static io.kubeqpu.scheduler.SchedulerState.display;
import static io.kubeqpu.scheduler.SchedulerState.kindOf;
import static io.kubeqpu.scheduler.SchedulerState.orDefault;

import io.kubeqpu.scheduler.Decision.JobPhaseChanged;
import io.kubeqpu.scheduler.Decision.StopJob;
import io.kubeqpu.scheduler.Event.JobDeleted;
import io.kubeqpu.scheduler.Event.JobPreparationFailed;
import io.kubeqpu.scheduler.Event.JobPrepared;
import io.kubeqpu.scheduler.Event.JobSubmitted;
import java.time.Duration;
import java.time.Instant;

/**
 * A job's transitions: submitted (checked at once, §3.12: workload, backend, instance, allowed backend, closed or
 * expired workload, usage limit), prepared (one the timing model puts past its maxExecutionTime is not started,
 * §3.7), finished, failed, lost by its QPU (retried once), refused, deleted; into the queue it belongs in (the normal
 * queue, §3.1-3.2, or its workload's while that holds the lease), and out of wherever it is when it ends.
 */
final class JobLifecycle {
    private final SchedulerState s;

    JobLifecycle(SchedulerState s) {
        this.s = s;
    }

    void submit(JobSubmitted e) {
        JobSpec spec = e.spec();
        if (spec == null || spec.id() == null) {
            s.reject(e, Reasons.INVALID_SPEC, "job id is required");
            return;
        }
        if (s.jobs.containsKey(spec.id())) {
            s.reject(e, Reasons.DUPLICATE, "job " + spec.id() + " was already submitted");
            return;
        }
        WorkloadState w = spec.workload() == null ? null : s.workloads.get(spec.workload());
        String backend = spec.backend() != null ? spec.backend() : w == null ? null : w.spec.backend();
        String instance = spec.instance() != null ? spec.instance() : w == null ? null : w.spec.instance();
        BackendState b = backend == null ? null : s.backends.get(backend);
        Duration cap = b == null ? s.config.defaultMaxExecutionTime() : b.spec.maxExecutionTime();
        Duration maxExec = Durations.min(orDefault(spec.maxExecutionTime(), s.config.defaultMaxExecutionTime()), cap);
        Instant queuedAt = spec.submittedAt() == null ? s.now : spec.submittedAt();
        JobState j = new JobState(spec.id(), s.nextSeq++, instance, backend, w, maxExec, queuedAt);
        s.jobs.put(j.id, j);
        if (w != null) w.addJob(j);

        InstanceState i = instance == null ? null : s.instances.get(instance);
        if (i != null && i.deleted) i = null;
        if (spec.workload() != null && w == null)
            terminate(j, JobPhase.FAILED, Reasons.UNKNOWN_WORKLOAD, "no " + (spec.workload().startsWith("session:") ? "session" : spec.workload().startsWith("batch:") ? "batch" : "batch or session") + " named " + display(spec.workload()));
        else if (spec.maxExecutionTime() != null && !Durations.positive(spec.maxExecutionTime()))
            terminate(j, JobPhase.FAILED, Reasons.INVALID_SPEC, "maxExecutionTime must be > 0");
        else if (spec.shots() <= 0)
            terminate(j, JobPhase.FAILED, Reasons.INVALID_SPEC, "shots must be > 0, got " + spec.shots());
        else if (backend == null || b == null)
            terminate(j, JobPhase.FAILED, Reasons.UNKNOWN_BACKEND, "no backend named " + backend);
        else if (i == null)
            terminate(j, JobPhase.FAILED, Reasons.UNKNOWN_INSTANCE, "no instance named " + display(instance));
        else if (w != null && !backend.equals(w.spec.backend()))
            terminate(j, JobPhase.FAILED, Reasons.BACKEND_MISMATCH,
                    "job names backend " + backend + " but its " + kindOf(w) + " runs on " + w.spec.backend());
        else if (w != null && !instance.equals(w.spec.instance()))
            terminate(j, JobPhase.FAILED, Reasons.INSTANCE_MISMATCH,
                    "job names instance " + display(instance) + " but its " + kindOf(w) + " belongs to " + display(w.spec.instance()));
        else if (!i.spec.allows(backend))
            terminate(j, JobPhase.FAILED, Reasons.BACKEND_NOT_ALLOWED, "instance " + display(instance) + " may not use backend " + backend);
        else if (w != null && w.phase == WorkloadPhase.REJECTED)
            terminate(j, JobPhase.FAILED, Reasons.WORKLOAD_REJECTED, kindOf(w) + " " + display(w.id()) + " was rejected: " + w.message);
        else if (w != null && w.phase == WorkloadPhase.EXPIRED)
            terminate(j, JobPhase.FAILED, Reasons.MAX_TTL_EXPIRED, kindOf(w) + " " + display(w.id()) + " reached its max TTL of " + Durations.format(w.maxTTL));
        else if (w != null && (!w.acceptingJobs || w.phase.isTerminal()))
            terminate(j, JobPhase.FAILED, Reasons.WORKLOAD_CLOSED, kindOf(w) + " " + display(w.id()) + " is not accepting jobs");
        else if (i.remaining(s.now, s.usage.activeSessionSeconds(instance)) <= 0)
            terminate(j, JobPhase.FAILED, Reasons.USAGE_LIMIT_EXCEEDED, s.usage.usageLimitMessage(i));
        else {
            i.queued++;
            if (w != null) w.unfinished++;
            enqueue(j, b);
            s.out.add(new JobPhaseChanged(j.id, JobPhase.QUEUED, null, null));
        }
    }

    void refuse(Event.JobRefused e) {
        JobSpec spec = e.spec();
        if (spec == null || spec.id() == null || s.jobs.containsKey(spec.id())) {
            s.reject(e, Reasons.DUPLICATE, "job " + (spec == null ? null : spec.id()) + " is already known");
            return;
        }
        WorkloadState w = spec.workload() == null ? null : s.workloads.get(spec.workload());
        String backend = spec.backend() != null ? spec.backend() : w == null ? null : w.spec.backend();
        String instance = spec.instance() != null ? spec.instance() : w == null ? null : w.spec.instance();
        JobState j = new JobState(spec.id(), s.nextSeq++, instance, backend, w,
                orDefault(spec.maxExecutionTime(), s.config.defaultMaxExecutionTime()),
                spec.submittedAt() == null ? s.now : spec.submittedAt());
        s.jobs.put(j.id, j);
        if (w != null) w.addJob(j);
        terminate(j, JobPhase.FAILED, e.reason(), e.message());
    }

    /** Completed → Failed, its QPU time taken back from its instance and batch (it was charged when it finished). */
    void resultLost(Event.JobResultLost e) {
        JobState j = s.jobs.get(e.job());
        if (j == null || j.phase != JobPhase.COMPLETED) {
            s.reject(e, Reasons.UNKNOWN_OBJECT, "no completed job named " + e.job());
            return;
        }
        InstanceState i = j.instance == null ? null : s.instances.get(j.instance);
        WorkloadState w = j.workload;
        double seconds = j.quantumSeconds;
        if (w == null || w.spec.kind() == WorkloadKind.BATCH) {
            // A session's jobs are billed by its lease's wall clock, which ran all the same.
            if (w != null) w.usageSeconds = Math.max(0, w.usageSeconds - seconds);
            if (i != null && j.completedAt != null && i.periodStartFor(j.completedAt).equals(i.periodStart))
                i.periodUsage = Math.max(0, i.periodUsage - seconds);
            j.quantumSeconds = 0;
        }
        j.setPhase(JobPhase.FAILED);
        j.reason = e.reason();
        j.message = e.message();
        s.out.add(new JobPhaseChanged(j.id, JobPhase.FAILED, j.reason, j.message));
    }

    void prepared(JobPrepared e) {
        JobState j = s.jobs.get(e.job());
        if (j == null || j.phase != JobPhase.QUEUED) {
            s.reject(e, Reasons.UNKNOWN_OBJECT, "no queued job named " + e.job());
            return;
        }
        if (e.quantumSeconds() != null) {
            // The timing model knows the job's QPU time before it starts: one that cannot end within its
            // maxExecutionTime would only hold a slot and be billed until it is cancelled.
            double run = e.quantumSeconds() * e.timeScale();
            if (!(run <= Durations.seconds(j.maxExecutionTime))) {
                terminate(j, JobPhase.FAILED, Reasons.MAX_EXECUTION_TIME_EXCEEDED, String.format(java.util.Locale.ROOT,
                        "the timing model puts this job at %.4g quantum seconds%s, above its maxExecutionTime of %s: not started",
                        e.quantumSeconds(), e.timeScale() == 1.0 ? ""
                                : String.format(java.util.Locale.ROOT, " (%.4g s on this backend's time scale %s)", run, e.timeScale()),
                        Durations.format(j.maxExecutionTime)));
                return;
            }
        }
        if (j.preparing) s.backends.get(j.backend).preparing--;
        j.preparing = false;
        j.prepared = true;
        s.dirty.add(j.backend);
    }

    void preparationFailed(JobPreparationFailed e) {
        JobState j = s.jobs.get(e.job());
        if (j == null || j.phase != JobPhase.QUEUED) {
            s.reject(e, Reasons.UNKNOWN_OBJECT, "no queued job named " + e.job());
            return;
        }
        terminate(j, JobPhase.FAILED, orDefault(e.reason(), Reasons.PREPARATION_FAILED), e.message());
    }

    void finished(String id, Event e, JobPhase phase, String reason, String message, double quantumSeconds) {
        JobState j = s.jobs.get(id);
        if (j == null || j.phase != JobPhase.RUNNING) {
            // A late or repeated report (e.g. after a cancel): never count a job twice.
            s.reject(e, Reasons.UNKNOWN_OBJECT, "no running job named " + id);
            return;
        }
        j.quantumSeconds = Math.max(0, quantumSeconds);
        s.usage.charge(j, j.quantumSeconds);
        BackendState b = s.backends.get(j.backend);
        if (phase == JobPhase.COMPLETED && b != null && j.startedAt != null)
            b.meanRunSeconds.add(Durations.seconds(Duration.between(j.startedAt, s.now)));
        terminate(j, phase, reason, message);
    }

    void lost(Event.JobLost e) {
        JobState j = s.jobs.get(e.job());
        if (j == null || j.phase != JobPhase.RUNNING) {
            s.reject(e, Reasons.UNKNOWN_OBJECT, "no running job named " + e.job());
            return;
        }
        String why = "the QPU lost the job" + (e.message() == null ? "" : ": " + e.message());
        if (j.attempts < 2 && (j.workload == null || !j.workload.phase.isTerminal()))
            requeue(j, s.backends.get(j.backend), why + "; retrying once");
        else terminate(j, JobPhase.FAILED, Reasons.BACKEND_UNAVAILABLE, why);
    }

    void deleteJob(JobDeleted e) {
        JobState j = s.jobs.get(e.job());
        if (j == null) {
            s.reject(e, Reasons.UNKNOWN_OBJECT, "no job named " + e.job());
            return;
        }
        if (j.phase == JobPhase.RUNNING) stopRunning(j, JobPhase.CANCELLED, Reasons.JOB_DELETED, "job was deleted");
        else if (j.phase == JobPhase.QUEUED) terminate(j, JobPhase.CANCELLED, Reasons.JOB_DELETED, "job was deleted");
        s.jobs.remove(j.id);
        s.failedBeforeStart.remove(j);
        if (j.workload != null) {
            j.workload.removeJob(j);
            s.workloadLifecycle.touch(j.workload);
        }
    }

    private void enqueue(JobState j, BackendState b) {
        putInQueue(j, b);
        s.dirty.add(b.name());
    }

    /** Into the lease holder's queue when its workload holds the lease, else into the normal queue. */
    void putInQueue(JobState j, BackendState b) {
        if (j.workload != null && (j.workload.held && !j.workload.holdsLease()
                || j.workload.holdsLease() && b.leaseHolder == j.workload)) {
            j.place = JobState.Place.WORKLOAD_QUEUE;
            j.workload.queue.add(j);
        } else {
            j.place = JobState.Place.NORMAL_QUEUE;
            b.queue.add(j, s.instances.get(j.instance));
        }
        s.dirty.add(b.name());
    }

    void requeue(JobState j, BackendState b, String message) {
        b.running.remove(j);
        InstanceState i = s.instances.get(j.instance);
        i.running--;
        i.queued++;
        j.setPhase(JobPhase.QUEUED);
        j.prepared = false;
        j.startedAt = null;
        putInQueue(j, b);
        s.out.add(new JobPhaseChanged(j.id, JobPhase.QUEUED, Reasons.BACKEND_UNAVAILABLE, message));
    }

    void stopRunning(JobState j, JobPhase phase, String reason, String message) {
        s.out.add(new StopJob(j.id, j.backend, reason));
        j.quantumSeconds = Durations.seconds(Duration.between(j.startedAt, s.now));
        s.usage.charge(j, j.quantumSeconds);
        terminate(j, phase, reason, message);
    }

    /** Takes the job out of wherever it is and records its terminal phase. */
    void terminate(JobState j, JobPhase phase, String reason, String message) {
        BackendState b = j.backend == null ? null : s.backends.get(j.backend);
        InstanceState i = j.instance == null ? null : s.instances.get(j.instance);
        switch (j.place) {
            case NORMAL_QUEUE -> b.queue.remove(j);
            case WORKLOAD_QUEUE -> j.workload.queue.remove(j);
            case STAGED -> b.staged.remove(j);
            case RUNNING -> b.running.remove(j);
            case NOWHERE -> { }
        }
        if (j.place != JobState.Place.NOWHERE) {
            if (i != null) {
                if (j.phase == JobPhase.RUNNING) i.running--;
                else i.queued--;
            }
            if (j.workload != null) j.workload.unfinished--;
        }
        if (j.preparing && b != null) b.preparing--;
        j.preparing = false;
        j.place = JobState.Place.NOWHERE;
        s.jobPhase(j, phase);
        j.reason = reason;
        j.message = message;
        j.completedAt = s.now;
        s.out.add(new JobPhaseChanged(j.id, phase, reason, message));
        if (j.workload != null) {
            if (j.startedAt != null) j.workload.lastJobCompletedAt = s.now;
            s.workloadLifecycle.touch(j.workload);
        }
        if (b != null) s.dirty.add(b.name());
    }
}
