package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Lifecycle phase of a QuantumJob. */
public enum JobPhase {
    @JsonProperty("Pending")
    PENDING,
    @JsonProperty("Queued")
    QUEUED,
    @JsonProperty("Running")
    RUNNING,
    @JsonProperty("Completed")
    COMPLETED,
    @JsonProperty("Failed")
    FAILED,
    @JsonProperty("Cancelled")
    CANCELLED
}
