package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Lifecycle phase of a QuantumBatch or QuantumSession. */
public enum WorkloadPhase {
    @JsonProperty("Pending")
    PENDING,
    @JsonProperty("Active")
    ACTIVE,
    @JsonProperty("Inactive")
    INACTIVE,
    @JsonProperty("Closed")
    CLOSED,
    @JsonProperty("Expired")
    EXPIRED,
    @JsonProperty("Cancelled")
    CANCELLED,
    @JsonProperty("Rejected")
    REJECTED
}
