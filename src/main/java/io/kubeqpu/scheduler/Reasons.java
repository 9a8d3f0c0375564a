package io.kubeqpu.scheduler;

/** The machine-readable reasons the scheduler puts on failed, cancelled and rejected objects. */
public final class Reasons {
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String UNKNOWN_BACKEND = "UnknownBackend";
    public static final String UNKNOWN_INSTANCE = "UnknownInstance";
    public static final String UNKNOWN_WORKLOAD = "UnknownWorkload";
    /** A session's new job made it Active again after Inactive (not an error: its status and Event say so). */
    public static final String REACTIVATED = "Reactivated";
    public static final String BACKEND_NOT_ALLOWED = "BackendNotAllowed";
    public static final String BACKEND_MISMATCH = "BackendMismatch";
    public static final String INSTANCE_MISMATCH = "InstanceMismatch";
    public static final String PLAN_NOT_ALLOWED = "PlanNotAllowed";
    public static final String USAGE_LIMIT_EXCEEDED = "UsageLimitExceeded";
    public static final String MAX_TTL_EXPIRED = "MaxTTLExpired";
    public static final String INTERACTIVE_TTL_EXPIRED = "InteractiveTTLExpired";
    public static final String MAX_EXECUTION_TIME_EXCEEDED = "MaxExecutionTimeExceeded";
    public static final String WORKLOAD_CLOSED = "WorkloadClosed";
    public static final String WORKLOAD_CANCELLED = "WorkloadCancelled";
    public static final String WORKLOAD_REJECTED = "WorkloadRejected";
    public static final String ALL_JOBS_DONE = "AllJobsDone";
    public static final String JOB_DELETED = "JobDeleted";
    public static final String BACKEND_DELETED = "BackendDeleted";
    public static final String PREPARATION_FAILED = "PreparationFailed";
    public static final String EXECUTION_FAILED = "ExecutionFailed";
    public static final String BACKEND_UNAVAILABLE = "BackendUnavailable";
    public static final String DUPLICATE = "Duplicate";
    public static final String UNKNOWN_OBJECT = "UnknownObject";

    private Reasons() {}
    /** The job's result could not be stored (its QPU time is not charged). */
    public static final String RESULT_NOT_STORED = "ResultNotStored";
    /** The result a job would produce is above the backend's or the operator's limit. */
    public static final String RESULT_TOO_LARGE = "ResultTooLarge";
    /** A PUB asks for more shots than the backend's limits.maxShots. */
    public static final String SHOTS_LIMIT_EXCEEDED = "ShotsLimitExceeded";
    /** A circuit is longer than the backend's limits.maxCircuitBytes. */
    public static final String CIRCUIT_BYTES_LIMIT_EXCEEDED = "CircuitBytesLimitExceeded";
    /** The job names no instance and its namespace has more than one default instance. */
    public static final String AMBIGUOUS_DEFAULT_INSTANCE = "AmbiguousDefaultInstance";
}
