package io.kubeqpu.api.v1alpha1;

/** Condition types written in {@code status.conditions}. */
public final class ConditionTypes {
    /** Every kind: the object is healthy and in a steady state (Argo CD / Flux health). */
    public static final String READY = "Ready";
    /** QuantumBackend: its simulator pod(s) are ready. */
    public static final String SIMULATOR_READY = "SimulatorReady";
    /** QuantumBackend: a calibration is running. */
    public static final String CALIBRATING = "Calibrating";
    /** QuantumInstance: usage reached usageLimitSeconds in the current period. */
    public static final String USAGE_LIMIT_EXCEEDED = "UsageLimitExceeded";
    /** QuantumJob: the job is in a backend queue or running (it was admitted). */
    public static final String SCHEDULED = "Scheduled";
    /** QuantumBatch / QuantumSession: the workload holds its backend lease. */
    public static final String LEASED = "Leased";

    private ConditionTypes() {
    }
}
