package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Qiskit Runtime execution mode a job ran in. */
public enum ExecutionMode {
    @JsonProperty("job")
    JOB,
    @JsonProperty("batch")
    BATCH,
    @JsonProperty("session")
    SESSION
}
