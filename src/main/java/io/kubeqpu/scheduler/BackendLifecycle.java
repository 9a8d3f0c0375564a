package io.kubeqpu.scheduler;

import static io.kubeqpu.scheduler.SchedulerState.kindOf;

import io.kubeqpu.scheduler.Event.BackendAvailability;
import io.kubeqpu.scheduler.Event.BackendConfigured;
import java.time.Instant;
import java.util.ArrayList;

/**
 * A backend configured, going up or down, deleted. A backend that goes down retries each running job once (then it
 * fails {@code BackendUnavailable}), ends a running calibration (§3.9) and forgets what its QPU had prepared; a deleted
 * backend cancels its workloads and fails its jobs.
 */
final class BackendLifecycle {
    private final SchedulerState s;

    BackendLifecycle(SchedulerState s) {
        this.s = s;
    }

    void configureBackend(BackendConfigured e) {
        BackendSpec spec = e.spec();
        String problem = spec == null ? "backend spec is missing" : spec.problem();
        if (problem != null) {
            s.reject(e, Reasons.INVALID_SPEC, problem);
            return;
        }
        BackendState b = s.backends.get(spec.name());
        if (b == null) {
            b = new BackendState(spec, s.now);
            s.backends.put(spec.name(), b);
        } else {
            boolean calibrationChanged = !java.util.Objects.equals(b.spec.calibrationInterval(), spec.calibrationInterval());
            b.spec = spec;
            if (calibrationChanged && !b.calibrating()) {
                Instant from = b.lastCalibrationAt == null ? s.now : b.lastCalibrationAt;
                b.nextCalibrationAt = spec.calibrationInterval() == null ? null : from.plus(spec.calibrationInterval());
            }
        }
        s.timers.add(b.nextCalibrationAt, Timers.Kind.CALIBRATION_DUE, spec.name());
        s.dirty.add(spec.name());
    }

    void availability(BackendAvailability e) {
        BackendState b = s.backends.get(e.backend());
        if (b == null) {
            s.reject(e, Reasons.UNKNOWN_BACKEND, "no backend named " + e.backend());
            return;
        }
        if (b.up == e.up()) return;
        b.up = e.up();
        if (!b.up) {
            String why = "backend " + b.name() + " became unavailable" + (e.message() == null ? "" : ": " + e.message());
            for (JobState j : new ArrayList<>(b.running)) {
                if (j.workload != null && j.workload.phase.isTerminal())
                    s.jobLifecycle.terminate(j, JobPhase.FAILED, Reasons.BACKEND_UNAVAILABLE, why + "; not retried: its " + kindOf(j.workload)
                            + " is " + j.workload.phase.name().toLowerCase());
                else if (j.attempts < 2) s.jobLifecycle.requeue(j, b, why + "; retrying once");
                else s.jobLifecycle.terminate(j, JobPhase.FAILED, Reasons.BACKEND_UNAVAILABLE, why + " on its second attempt");
            }
            if (b.calibrating()) s.calibration.endCalibration(b);
            // Whatever the QPU had prepared may be gone with it: prepare again once it is back.
            for (JobState j : s.jobs.values()) {
                if (j.phase == JobPhase.QUEUED && b.name().equals(j.backend)) {
                    j.prepared = false;
                    j.preparing = false;
                }
            }
            b.preparing = 0;
        }
        s.dirty.add(b.name());
    }

    void deleteBackend(Event.BackendDeleted e) {
        BackendState b = s.backends.get(e.backend());
        if (b == null) {
            s.reject(e, Reasons.UNKNOWN_BACKEND, "no backend named " + e.backend());
            return;
        }
        String msg = "QuantumBackend " + b.name() + " was deleted";
        for (WorkloadState w : s.workloads.values())
            if (b.name().equals(w.spec.backend()) && !w.phase.isTerminal()) {
                w.acceptingJobs = false;
                s.workloadLifecycle.endWorkload(w, WorkloadPhase.CANCELLED, Reasons.BACKEND_DELETED, msg);
            }
        for (JobState j : new ArrayList<>(s.jobs.values())) {
            if (!b.name().equals(j.backend)) continue;
            if (j.phase == JobPhase.RUNNING) s.jobLifecycle.stopRunning(j, JobPhase.FAILED, Reasons.BACKEND_DELETED, msg);
            else if (j.phase == JobPhase.QUEUED) s.jobLifecycle.terminate(j, JobPhase.FAILED, Reasons.BACKEND_DELETED, msg);
        }
        s.backends.remove(b.name());
    }
}
