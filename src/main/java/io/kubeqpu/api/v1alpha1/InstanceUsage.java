package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Usage of an instance in its current period. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InstanceUsage {
    @JsonPropertyDescription("Quantum seconds used in the current period.")
    private Double quantumSeconds;

    @JsonPropertyDescription("Start of the current usage period (RFC 3339).")
    private String periodStart;

    public Double getQuantumSeconds() {
        return quantumSeconds;
    }

    public void setQuantumSeconds(Double quantumSeconds) {
        this.quantumSeconds = quantumSeconds;
    }

    public String getPeriodStart() {
        return periodStart;
    }

    public void setPeriodStart(String periodStart) {
        this.periodStart = periodStart;
    }
}
