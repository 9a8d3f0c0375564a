package io.kubeqpu.scheduler;

import io.kubeqpu.scheduler.Decision.JobPhaseChanged;
import io.kubeqpu.scheduler.Decision.PrepareJob;
import io.kubeqpu.scheduler.Decision.StartJob;

/**
 * The scheduling loop, per backend: after every event each backend it touched is filled. Selection from the normal
 * queue by fair share and from the lease holder's queue (§3.1-3.2), arming single jobs one ahead of the free slots,
 * staging a batch's jobs ahead into the pre-processing lanes (§3.3), starting prepared jobs in selection and arrival
 * order (§3.11), a batch's slot sharing with the normal queue (§3.3), a session's exclusivity (§3.4), and the retries
 * of a preparation the QPU does not answer.
 */
final class BackendLoop {
    private final SchedulerState s;

    BackendLoop(SchedulerState s) {
        this.s = s;
    }

    void settle() {
        while (!s.dirty.isEmpty()) {
            String name = s.dirty.pollFirst();
            BackendState b = s.backends.get(name);
            if (b == null) continue;
            try {
                fill(b);
            } catch (RuntimeException e) {
                // A bug in one backend's loop must not stop the others, nor leave apply() without its decisions.
                s.out.add(new Decision.EventRejected(new Event.Tick(), "InternalError", "backend " + name + ": " + e));
            }
        }
    }

    /** Starts what can start on the backend, stages what should be prepared next, calibrates when due. */
    private void fill(BackendState b) {
        s.leases.markDrained(b);
        if (!b.up) return;
        boolean progress = true;
        while (progress) {
            progress = s.calibration.startCalibrationIfDue(b) || startNext(b) || stageNext(b);
        }
        prepareStaged(b);
    }

    /**
     * Requests pre-processing of staged jobs, as many as there are free lanes, in the order the slots will need them:
     * a batch's job for its turn (none of its jobs running or prepared), then single jobs (beside a batch they wait
     * for the slots it leaves them), then the lease holder's look-ahead. Staged order alone let a batch's look-ahead
     * fill every lane while a slot stood free for a single job that was not prepared.
     */
    private void prepareStaged(BackendState b) {
        WorkloadState holder = b.leaseHolder;
        boolean turn = holder != null && b.running.stream().noneMatch(r -> r.workload == holder)
                && b.staged.stream().noneMatch(j -> j.workload == holder && (j.prepared || j.preparing));
        for (int pass = 0; pass < 3; pass++) {
            for (JobState j : b.staged) {
                if (b.preparing >= b.spec.preprocessingLanes()) return;
                boolean ofHolder = j.workload != null;
                if (j.prepared || j.preparing || (pass == 1 ? ofHolder : !ofHolder || pass == 0 && !turn)) continue;
                j.preparing = true;
                b.preparing++;
                j.prepareRequests = 0;
                requestPreparation(j, b);
                if (pass == 0) turn = false;
            }
        }
    }

    private void requestPreparation(JobState j, BackendState b) {
        j.prepareRequests++;
        j.prepareDeadline = s.now.plus(Scheduler.PREPARE_TIMEOUT);
        s.timers.add(j.prepareDeadline, Timers.Kind.JOB_PREPARE, j.id);
        s.out.add(new PrepareJob(j.id, b.name()));
    }

    /** The QPU did not answer a preparation in time: ask again (its answer is idempotent), then give up. */
    void prepareOverdue(JobState j) {
        BackendState b = s.backends.get(j.backend);
        if (b == null) return;
        if (j.prepareRequests < Scheduler.PREPARE_ATTEMPTS) {
            requestPreparation(j, b);
            return;
        }
        s.jobLifecycle.terminate(j, JobPhase.FAILED, Reasons.PREPARATION_FAILED, "the QPU of " + b.name() + " did not finish pre-processing it: asked "
                + j.prepareRequests + " times, " + Scheduler.PREPARE_TIMEOUT.toMinutes() + " min apart");
    }

    /** Starts the first prepared staged job that may run now; false when none can. */
    private boolean startNext(BackendState b) {
        if (b.running.size() >= b.spec.parallelism() || b.calibrating() || b.calibrationPending(s.now)) return false;
        WorkloadState holder = b.leaseHolder;
        boolean exclusive = b.exclusivelyLeased();
        // An exclusive lease waits for jobs that are not the session's to drain.
        if (exclusive && b.running.stream().anyMatch(r -> r.workload != holder)) return false;
        if (holder != null && !exclusive) return startBesideBatch(b, holder);
        // Staged order is selection order: a job still being prepared holds back those behind it, except
        // jobs of its own batch, which have no order among themselves (DESIGN §3.3). A session's jobs start in
        // arrival order (§3.11): one still being prepared holds back the session's later ones.
        WorkloadState waitingFor = null;
        boolean blocked = false;
        for (JobState j : b.staged) {
            if (blocked && (waitingFor == null || j.workload != waitingFor || waitingFor.spec.kind() == WorkloadKind.SESSION)) break;
            if (!j.prepared) {
                if (!blocked) waitingFor = j.workload;
                blocked = true;
                continue;
            }
            if (exclusive && j.workload != holder) continue;
            InstanceState i = s.instances.get(j.instance);
            if (i.remaining(s.now, s.usage.activeSessionSeconds(j.instance)) <= 0) {
                s.usage.failOverLimit(i);
                return true;
            }
            start(j, b);
            return true;
        }
        return false;
    }

    /**
     * A batch holding the backend's shared lease runs as one stream of quick succession beside the normal queue
     * (DESIGN §3.3): it always keeps one slot (with none of its jobs running, the next free slot is its, before any
     * single job behind it in fair share), and takes a further slot only while no single job waits. Single jobs start
     * in staged (selection) order: one still being prepared holds back those behind it.
     */
    private boolean startBesideBatch(BackendState b, WorkloadState batch) {
        JobState batchJob = null, single = null;
        boolean batchStaged = false, singleStaged = false;
        for (JobState j : b.staged) {
            if (j.workload == batch) {
                batchStaged = true;
                if (batchJob == null && j.prepared) batchJob = j; // no order among a batch's jobs
            } else if (!singleStaged) {
                singleStaged = true;
                if (j.prepared) single = j;
            }
        }
        boolean batchRuns = false;
        for (JobState r : b.running) {
            if (r.workload == batch) {
                batchRuns = true;
                break;
            }
        }
        JobState next;
        if (!batchRuns && batchJob != null) next = batchJob; // its turn
        else if (single != null && (batchRuns || !batchStaged && batch.queue.isEmpty()
                || b.spec.parallelism() - b.running.size() > 1)) next = single; // a slot not kept for the batch's turn
        else if (batchJob != null && !singleStaged && !b.queue.hasSingleJobs()) next = batchJob; // nobody else waits
        else return false;
        InstanceState i = s.instances.get(next.instance);
        if (i.remaining(s.now, s.usage.activeSessionSeconds(next.instance)) <= 0) {
            s.usage.failOverLimit(i);
            return true;
        }
        start(next, b);
        return true;
    }

    private void start(JobState j, BackendState b) {
        b.staged.remove(j);
        b.running.add(j);
        j.place = JobState.Place.RUNNING;
        j.setPhase(JobPhase.RUNNING);
        j.startedAt = s.now;
        j.attempts++;
        InstanceState i = s.instances.get(j.instance);
        i.queued--;
        i.running++;
        WorkloadState w = j.workload;
        s.out.add(new StartJob(j.id, b.name(), w == null ? null : w.id()));
        s.out.add(new JobPhaseChanged(j.id, JobPhase.RUNNING, null, null));
        s.timers.add(j.maxExecutionDeadline(), Timers.Kind.JOB_MAX_EXECUTION, j.id);
        if (w != null && w.startedAt == null) {
            w.startedAt = s.now;
            s.timers.add(w.maxTTLDeadline(), Timers.Kind.WORKLOAD_MAX_TTL, w.id());
        }
    }

    /** Moves the next job to run into {@code staged}, or activates the workload whose job is next; false when none. */
    private boolean stageNext(BackendState b) {
        int lanes = b.spec.preprocessingLanes();
        WorkloadState holder = b.leaseHolder;
        int ofHolder = 0;
        if (holder != null) for (JobState j : b.staged) if (j.workload == holder) ofHolder++;
        if (holder != null && !holder.queue.isEmpty() && ofHolder < lanes) {
            JobState j = holder.queue.pollFirst();
            j.place = JobState.Place.STAGED;
            b.staged.add(j);
            return true;
        }
        if (b.exclusivelyLeased()) return false;
        // Single jobs are armed one ahead of the free slots; selecting further ahead would freeze fair share early.
        // Beside a batch they are counted apart from its jobs, so that a batch filling every lane cannot keep them
        // from being selected for the slots they get first (DESIGN §3.3).
        int singles = b.staged.size() - ofHolder;
        int freeSlots = Math.max(0, b.spec.parallelism() - b.running.size());
        if (singles >= lanes || singles > freeSlots) return false;
        boolean leaseFree = holder == null && !b.calibrating() && !b.calibrationPending(s.now);
        JobState j = b.queue.peek(leaseFree);
        if (j == null) return false;
        InstanceState i = s.instances.get(j.instance);
        if (i.remaining(s.now, s.usage.activeSessionSeconds(j.instance)) <= 0) {
            s.usage.failOverLimit(i);
            return true;
        }
        if (j.workload != null) {
            // Jobs selected before it go first; the workload's lease is taken when it is truly next.
            if (!b.staged.isEmpty()) return false;
            s.leases.activate(j.workload, b);
            return true;
        }
        b.queue.remove(j);
        j.place = JobState.Place.STAGED;
        b.staged.add(j);
        return true;
    }
}
