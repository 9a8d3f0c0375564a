package io.kubeqpu.scheduler;

import static io.kubeqpu.scheduler.SchedulerState.display;

import java.time.Instant;

/**
 * Time: the timers that fire, in time order, before each event is handled (and after each, the loop settles). The
 * deadlines of DESIGN §3.5 (max TTL, from the first job's start), §3.6 (interactive TTL, after each job), §3.7 (a job's
 * maxExecutionTime and its share of a lowered usage limit) and §3.9 (calibration due and finished), and a staged job's
 * preparation timeout. A timer is not removed when what it watches ends early: it is checked against the state when it
 * comes due ({@link #isLive}), and stale ones are compacted away.
 */
final class Deadlines {
    private final SchedulerState s;

    Deadlines(SchedulerState s) {
        this.s = s;
    }

    /**
     * Timers are not removed when what they watch ends early (a job's 3 h max-execution timer when it finishes in a
     * second): once stale ones outnumber the live objects, they are dropped in one pass, so the queue does not grow
     * with the number of finished or deleted jobs.
     */
    void compactTimers() {
        int live = s.jobs.size() + s.workloads.size() + 2 * s.backends.size();
        if (s.timers.size() > 4096 && s.timers.size() > 4 * live) s.timers.retain(this::isLive);
    }

    void advanceTo(Instant target) {
        Timers.Timer t;
        while ((t = s.timers.peek()) != null && !t.at().isAfter(target)) {
            s.timers.poll();
            if (t.at().isAfter(s.now)) s.now = t.at();
            try {
                fire(t);
            } catch (RuntimeException e) {
                // Taken off the queue already: a timer whose handling fails is reported once, not fired forever.
                s.out.add(new Decision.EventRejected(new Event.Tick(), "InternalError", "timer " + t + ": " + e));
            }
            s.loop.settle();
        }
        if (target.isAfter(s.now)) s.now = target;
    }

    boolean isLive(Timers.Timer t) {
        return switch (t.kind()) {
            case JOB_MAX_EXECUTION -> {
                JobState j = s.jobs.get(t.target());
                yield j != null && j.phase == JobPhase.RUNNING && t.at().equals(j.maxExecutionDeadline());
            }
            case JOB_USAGE_LIMIT -> {
                JobState j = s.jobs.get(t.target());
                yield j != null && j.phase == JobPhase.RUNNING && t.at().equals(j.limitDeadline);
            }
            case JOB_PREPARE -> {
                JobState j = s.jobs.get(t.target());
                yield j != null && j.phase == JobPhase.QUEUED && j.preparing && t.at().equals(j.prepareDeadline);
            }
            case WORKLOAD_MAX_TTL -> {
                WorkloadState w = s.workloads.get(t.target());
                yield w != null && !w.phase.isTerminal() && t.at().equals(w.maxTTLDeadline());
            }
            case WORKLOAD_INTERACTIVE -> {
                WorkloadState w = s.workloads.get(t.target());
                yield w != null && t.at().equals(w.interactiveDeadline());
            }
            case CALIBRATION_DUE -> {
                BackendState b = s.backends.get(t.target());
                yield b != null && t.at().equals(b.nextCalibrationAt) && !b.calibrating();
            }
            case CALIBRATION_END -> {
                BackendState b = s.backends.get(t.target());
                yield b != null && t.at().equals(b.calibratingUntil);
            }
        };
    }

    private void fire(Timers.Timer t) {
        if (!isLive(t)) return;
        switch (t.kind()) {
            case JOB_MAX_EXECUTION -> s.jobLifecycle.stopRunning(s.jobs.get(t.target()), JobPhase.CANCELLED,
                    Reasons.MAX_EXECUTION_TIME_EXCEEDED, "job ran past its maxExecutionTime of "
                            + Durations.format(s.jobs.get(t.target()).maxExecutionTime));
            case JOB_USAGE_LIMIT -> s.jobLifecycle.stopRunning(s.jobs.get(t.target()), JobPhase.CANCELLED, Reasons.USAGE_LIMIT_EXCEEDED,
                    "stopped at instance " + display(s.jobs.get(t.target()).instance) + "'s usage limit");
            case JOB_PREPARE -> s.loop.prepareOverdue(s.jobs.get(t.target()));
            case WORKLOAD_MAX_TTL -> s.workloadLifecycle.expire(s.workloads.get(t.target()));
            case WORKLOAD_INTERACTIVE -> s.workloadLifecycle.deactivate(s.workloads.get(t.target()));
            case CALIBRATION_DUE -> s.dirty.add(t.target());
            case CALIBRATION_END -> s.calibration.endCalibration(s.backends.get(t.target()));
        }
    }
}
