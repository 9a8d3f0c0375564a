package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Quantum time consumed by a job, batch or session. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Usage {
    @JsonPropertyDescription("Quantum seconds consumed, as billed: QPU time for a job, the sum of its jobs' QPU time for a batch, wall-clock time while active for a session.")
    private Double quantumSeconds;

    public Double getQuantumSeconds() {
        return quantumSeconds;
    }

    public void setQuantumSeconds(Double quantumSeconds) {
        this.quantumSeconds = quantumSeconds;
    }
}
