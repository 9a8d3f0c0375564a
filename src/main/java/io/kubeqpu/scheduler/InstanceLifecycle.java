package io.kubeqpu.scheduler;

import static io.kubeqpu.scheduler.SchedulerState.display;

import io.kubeqpu.scheduler.Decision.StopJob;
import io.kubeqpu.scheduler.Event.InstanceConfigured;
import java.util.ArrayList;

/**
 * An instance (an account: plan, weight, allowed backends, usage limit) configured or deleted. A changed weight
 * reorders fair share (§3.2); a lowered limit fails queued jobs and stops running ones at it (§3.7); a deleted
 * instance fails its jobs without billing anyone.
 */
final class InstanceLifecycle {
    private final SchedulerState s;

    InstanceLifecycle(SchedulerState s) {
        this.s = s;
    }

    void configureInstance(InstanceConfigured e) {
        InstanceSpec spec = e.spec();
        String problem = spec == null ? "instance spec is missing" : spec.problem();
        if (problem != null) {
            s.reject(e, Reasons.INVALID_SPEC, problem);
            return;
        }
        InstanceState i = s.instances.get(spec.name());
        if (i == null || i.deleted && i.running == 0) {
            // New, or re-created under the name of a deleted one: a new account starts with nothing used.
            s.instances.put(spec.name(), new InstanceState(spec, s.now));
            return;
        }
        i.deleted = false;
        Double before = i.limit();
        i.spec = spec;
        i.rollPeriod(s.now);
        for (BackendState b : s.backends.values()) b.queue.reorder(i);
        if (i.remaining(s.now, s.usage.activeSessionSeconds(i.spec.name())) <= 0) s.usage.failOverLimit(i);
        if (i.limit() != null && (before == null || i.limit() < before))
            s.usage.stopAtLimit(i, "instance " + i.spec.name() + "'s usage limit was lowered to " + i.limit() + " quantum seconds");
        s.dirty.addAll(s.backends.keySet());
    }

    void deleteInstance(Event.InstanceDeleted e) {
        InstanceState i = s.instances.get(e.instance());
        if (i == null) {
            s.reject(e, Reasons.UNKNOWN_INSTANCE, "no instance named " + e.instance());
            return;
        }
        String msg = "QuantumInstance " + display(e.instance()) + " was deleted";
        for (JobState j : new ArrayList<>(s.jobs.values())) {
            if (!e.instance().equals(j.instance)) continue;
            // Its time is no longer anyone's to bill: stopped without a charge.
            if (j.phase == JobPhase.RUNNING) {
                s.out.add(new StopJob(j.id, j.backend, Reasons.UNKNOWN_INSTANCE));
                j.quantumSeconds = 0;
                s.jobLifecycle.terminate(j, JobPhase.FAILED, Reasons.UNKNOWN_INSTANCE, msg);
            } else if (j.phase == JobPhase.QUEUED) {
                s.jobLifecycle.terminate(j, JobPhase.FAILED, Reasons.UNKNOWN_INSTANCE, msg);
            }
        }
        s.instances.remove(e.instance());
        for (BackendState b : s.backends.values()) s.dirty.add(b.name());
    }
}
