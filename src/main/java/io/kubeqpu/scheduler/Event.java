package io.kubeqpu.scheduler;

/** What the scheduler is told. Each is applied at the scheduler clock's current instant. */
public sealed interface Event {

    /** Adds a backend or changes its spec (parallelism, lanes, calibration, limits). */
    record BackendConfigured(BackendSpec spec) implements Event {}

    /** The backend's QPU became reachable (up) or not (down). A down backend's running jobs are retried once. */
    record BackendAvailability(String backend, boolean up, String message) implements Event {}

    /** Adds an instance or changes its plan, weight, limit or allowed backends. */
    record InstanceConfigured(InstanceSpec spec) implements Event {}

    /**
     * The QuantumBackend was deleted: its queued and running jobs fail ({@code BackendDeleted}), its workloads end and
     * release their leases, and the backend is forgotten (a backend re-created under its name starts afresh).
     */
    record BackendDeleted(String backend) implements Event {}


    record WorkloadCreated(WorkloadSpec spec) implements Event {}

    /**
     * A batch whose inline jobs are still being submitted is held: its jobs wait outside the normal queue, so that it is
     * scheduled as a whole once all of them are in (DESIGN §3.3: "all jobs are submitted at once"). Released by
     * {@code held = false}.
     */
    record WorkloadHeld(String workload, boolean held) implements Event {}

    /** {@code acceptingJobs: false}: new jobs are refused, submitted ones still run. */
    record WorkloadClosed(String workload) implements Event {}

    /**
     * The workload was deleted: its queued jobs are cancelled and its running ones stopped, then it is forgotten, so
     * that a workload re-created under the same name is a new one.
     */
    record WorkloadCancelled(String workload) implements Event {}

    record JobSubmitted(JobSpec spec) implements Event {}

    /**
     * A job the operator refused at submission (a backend limit, an ambiguous default instance, …): recorded as Failed
     * with this reason, so that its batch or session counts it, and never queued.
     */
    record JobRefused(JobSpec spec, String reason, String message) implements Event {}

    /** The instance was deleted: its queued jobs fail, its running ones are stopped, new jobs naming it fail. */
    record InstanceDeleted(String instance) implements Event {}

    /**
     * Classical pre-processing (parse, validate, compile) is done: the job can start at once.
     *
     * @param quantumSeconds the QPU time the timing model predicts for it (null = unknown)
     * @param timeScale      how fast the QPU's clock runs against the wall clock (1 = real time): the job holds its slot
     *                       for {@code quantumSeconds × timeScale}; one that cannot finish within its maxExecutionTime
     *                       is refused before it starts
     */
    record JobPrepared(String job, Double quantumSeconds, double timeScale) implements Event {
        public JobPrepared(String job) {
            this(job, null, 1.0);
        }
    }

    record JobPreparationFailed(String job, String reason, String message) implements Event {}

    /** The QPU finished the job; {@code quantumSeconds} is its measured QPU time. */
    record JobFinished(String job, double quantumSeconds) implements Event {}

    /**
     * A completed job's result could not be stored: it becomes Failed with this reason and its QPU time is not
     * charged (a job is never Completed without a result its user can read).
     */
    record JobResultLost(String job, String reason, String message) implements Event {}

    /** The QPU could not run the job (not a preemption: those come as BackendAvailability). */
    record JobFailed(String job, String reason, String message, double quantumSeconds) implements Event {}

    /** The QPU no longer knows a job the scheduler thinks is running (e.g. its pod restarted): retried once. */
    record JobLost(String job, String message) implements Event {}

    /** The job was deleted by its user: cancelled if unfinished, then forgotten. */
    record JobDeleted(String job) implements Event {}

    /** Time advanced: fire whatever timers are due (TTLs, max execution time, calibration). */
    record Tick() implements Event {}
}
