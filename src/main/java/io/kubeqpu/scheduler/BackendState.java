package io.kubeqpu.scheduler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The scheduler's record of one backend: its queue, its lease, what runs on it, its calibration clock. */
final class BackendState {
    BackendSpec spec;
    boolean up = true;
    final FairShareQueue queue = new FairShareQueue();

    WorkloadState leaseHolder;

    /**
     * Selected to run next, being prepared or prepared, waiting for a slot: up to {@code lanes} of the lease holder's
     * jobs and, counted apart, single jobs armed up to one beyond the free slots (at most {@code lanes}).
     */
    final List<JobState> staged = new ArrayList<>();
    final Set<JobState> running = new LinkedHashSet<>();
    int preparing;

    /**
     * Mean wall-clock run time of the jobs completed here (the last 1,000 weigh most), kept as they complete so that
     * start estimates never walk every job the scheduler knows.
     */
    final RunningMean meanRunSeconds = new RunningMean(EstimatedStart.DEFAULT_MEAN_JOB_SECONDS);

    Instant nextCalibrationAt;
    Instant calibratingUntil;
    Instant lastCalibrationAt;

    BackendState(BackendSpec spec, Instant now) {
        this.spec = spec;
        this.nextCalibrationAt = spec.calibrationInterval() == null ? null : now.plus(spec.calibrationInterval());
    }

    String name() {
        return spec.name();
    }

    boolean exclusivelyLeased() {
        return leaseHolder != null && leaseHolder.leaseMode == LeaseMode.EXCLUSIVE;
    }

    boolean calibrating() {
        return calibratingUntil != null;
    }

    /** A calibration is due and waits for running jobs to drain; a session's exclusive lease postpones it. */
    boolean calibrationPending(Instant now) {
        return nextCalibrationAt != null && !calibrating() && !now.isBefore(nextCalibrationAt) && !exclusivelyLeased();
    }

    BackendView view() {
        return new BackendView(spec.name(), up, leaseHolder == null ? null : leaseHolder.id(),
                leaseHolder == null ? null : leaseHolder.leaseMode, queue.size()
                        + (leaseHolder == null ? 0 : leaseHolder.queue.size()) + staged.size(),
                running.size(), calibrating(), calibratingUntil, nextCalibrationAt, lastCalibrationAt);
    }
}
