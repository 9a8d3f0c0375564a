package io.kubeqpu.scheduler;

import java.time.Instant;

/** What the scheduler decided. Actions (prepare, start, cancel, calibrate) and state changes to record. */
public sealed interface Decision {

    /** Start classical pre-processing of a job in one of the backend's lanes. */
    record PrepareJob(String job, String backend) implements Decision {}

    /** Start the job on the QPU now. */
    record StartJob(String job, String backend, String workload) implements Decision {}

    /** Stop a running job on the QPU (its phase change follows as JobPhaseChanged). */
    record StopJob(String job, String backend, String reason) implements Decision {}

    record JobPhaseChanged(String job, JobPhase phase, String reason, String message) implements Decision {}

    record WorkloadPhaseChanged(String workload, WorkloadPhase phase, String reason, String message) implements Decision {}

    record LeaseAcquired(String workload, String backend, LeaseMode mode, Instant at) implements Decision {}

    record LeaseReleased(String workload, String backend, Instant at) implements Decision {}

    record StartCalibration(String backend, Instant until) implements Decision {}

    record CalibrationFinished(String backend) implements Decision {}

    /** The event was refused without changing any state (duplicate id, unknown object, bad spec). */
    record EventRejected(Event event, String reason, String message) implements Decision {}
}
