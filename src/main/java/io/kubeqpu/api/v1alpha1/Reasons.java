package io.kubeqpu.api.v1alpha1;

/** Machine-readable reasons written in {@code status.reason} and condition reasons (DESIGN.md §3). */
public final class Reasons {
    /** A workload reached its max TTL; its queued jobs fail with this reason. */
    public static final String MAX_TTL_EXPIRED = "MaxTTLExpired";
    /** A session was requested on an open-plan instance. */
    public static final String PLAN_NOT_ALLOWED = "PlanNotAllowed";
    /** The instance is over its usage limit: no new dispatch. */
    public static final String USAGE_LIMIT_EXCEEDED = "UsageLimitExceeded";
    /** A job named a session or batch that no longer accepts jobs. */
    public static final String WORKLOAD_CLOSED = "WorkloadClosed";
    /** A job ran past its maxExecutionTime. */
    public static final String MAX_EXECUTION_TIME_EXCEEDED = "MaxExecutionTimeExceeded";

    private Reasons() {
    }
}
