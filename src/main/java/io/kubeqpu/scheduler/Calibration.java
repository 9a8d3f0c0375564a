package io.kubeqpu.scheduler;

import io.kubeqpu.scheduler.Decision.CalibrationFinished;
import io.kubeqpu.scheduler.Decision.StartCalibration;

/**
 * Calibration (§3.9): due every {@code calibration.interval}, it waits for the running jobs to drain (no job starts
 * while it is due) and runs for {@code calibration.duration}: between jobs and between a batch's jobs, never inside an
 * active session (a session's exclusive lease postpones it: {@link BackendState#calibrationPending}).
 */
final class Calibration {
    private final SchedulerState s;

    Calibration(SchedulerState s) {
        this.s = s;
    }

    boolean startCalibrationIfDue(BackendState b) {
        if (!b.calibrationPending(s.now) || !b.running.isEmpty()) return false;
        b.calibratingUntil = s.now.plus(b.spec.calibrationDuration());
        b.lastCalibrationAt = s.now;
        s.out.add(new StartCalibration(b.name(), b.calibratingUntil));
        s.timers.add(b.calibratingUntil, Timers.Kind.CALIBRATION_END, b.name());
        return true;
    }

    void endCalibration(BackendState b) {
        b.calibratingUntil = null;
        b.nextCalibrationAt = b.spec.calibrationInterval() == null ? null : s.now.plus(b.spec.calibrationInterval());
        s.timers.add(b.nextCalibrationAt, Timers.Kind.CALIBRATION_DUE, b.name());
        s.out.add(new CalibrationFinished(b.name()));
        s.dirty.add(b.name());
    }
}
