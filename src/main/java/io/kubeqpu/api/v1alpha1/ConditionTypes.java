package io.kubeqpu.api.v1alpha1;

import java.util.List;

/**
 * Condition types written in {@code status.conditions} (docs/api.md has which kind carries which, and their reasons).
 * Every listed type is written; nothing else is.
 */
public final class ConditionTypes {
    /**
     * Every kind: the object reached or holds its goal. Jobs: completed. Batches and sessions: open and no job
     * failed, or ended with none failed. Backends: available. Instances: within their usage limit.
     */
    public static final String READY = "Ready";
    /** QuantumJob, QuantumBatch, QuantumSession: ended either way (reason Succeeded, Failed, Cancelled, Rejected). */
    public static final String FINISHED = "Finished";
    /** QuantumJob, QuantumBatch, QuantumSession: ended badly; nothing changes without a user (kstatus: Failed). */
    public static final String STALLED = "Stalled";
    /**
     * QuantumJob, QuantumBatch, QuantumSession: work toward the goal is under way (a job not finished, a batch running
     * its jobs, a workload waiting for its backend); kstatus reads True as InProgress.
     */
    public static final String RECONCILING = "Reconciling";
    /** QuantumBatch, QuantumSession: open on its backend (phase Active or Inactive). */
    public static final String ACTIVE = "Active";
    /** QuantumBackend: the QPU takes jobs (its simulator is ready). */
    public static final String AVAILABLE = "Available";
    /** QuantumBackend: a calibration is running; no job starts meanwhile. */
    public static final String CALIBRATING = "Calibrating";
    /** QuantumInstance: usage reached usageLimitSeconds in the current period; no new dispatch. */
    public static final String USAGE_LIMIT_EXCEEDED = "UsageLimitExceeded";

    /** Per kind, the types written, in order. */
    public static final List<String> JOB = List.of(READY, FINISHED, STALLED, RECONCILING);
    public static final List<String> WORKLOAD = List.of(ACTIVE, READY, FINISHED, STALLED, RECONCILING);
    public static final List<String> BACKEND = List.of(READY, AVAILABLE, CALIBRATING);
    public static final List<String> INSTANCE = List.of(READY, USAGE_LIMIT_EXCEEDED);

    private ConditionTypes() {
    }
}
