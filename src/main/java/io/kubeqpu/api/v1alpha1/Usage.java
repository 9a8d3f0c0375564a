package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Quantum time consumed by a job, batch or session. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Usage {
    @JsonPropertyDescription("Quantum seconds consumed, as billed: QPU time for a job, the sum of its jobs' QPU time for a batch, wall-clock time while active for a session.")
    private Double quantumSeconds;

    @JsonPropertyDescription("For a session: quantum seconds of its lease intervals that have ended; while it holds the lease, quantumSeconds adds the time since lease.acquiredAt.")
    private Double closedQuantumSeconds;

    public Double getQuantumSeconds() {
        return quantumSeconds;
    }

    public void setQuantumSeconds(Double quantumSeconds) {
        this.quantumSeconds = quantumSeconds;
    }

    public Double getClosedQuantumSeconds() {
        return closedQuantumSeconds;
    }

    public void setClosedQuantumSeconds(Double closedQuantumSeconds) {
        this.closedQuantumSeconds = closedQuantumSeconds;
    }
}
