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

    @JsonPropertyDescription("Usage in the current period without the open lease intervals of active sessions (quantumSeconds includes them).")
    private Double closedQuantumSeconds;

    @JsonPropertyDescription("Recent usage, exponentially decayed, that fair share divides by the weight (as of recentAsOf).")
    private Double recentQuantumSeconds;

    @JsonPropertyDescription("When recentQuantumSeconds was computed (RFC 3339).")
    private String recentAsOf;

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

    public Double getClosedQuantumSeconds() {
        return closedQuantumSeconds;
    }

    public void setClosedQuantumSeconds(Double closedQuantumSeconds) {
        this.closedQuantumSeconds = closedQuantumSeconds;
    }

    public Double getRecentQuantumSeconds() {
        return recentQuantumSeconds;
    }

    public void setRecentQuantumSeconds(Double recentQuantumSeconds) {
        this.recentQuantumSeconds = recentQuantumSeconds;
    }

    public String getRecentAsOf() {
        return recentAsOf;
    }

    public void setRecentAsOf(String recentAsOf) {
        this.recentAsOf = recentAsOf;
    }
}
