package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Observed state of a QuantumBatch or QuantumSession. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("The workload's phase, lease, deadlines and job counts; conditions Active, Ready, Finished and Stalled.")
public class WorkloadStatus extends ObservedStatus {
    @JsonPropertyDescription("Pending, Active, Inactive, Closed, Expired, Cancelled or Rejected.")
    private WorkloadPhase phase;

    @JsonPropertyDescription("The backend lease, present while Active.")
    private WorkloadLease lease;

    @JsonPropertyDescription("When the first job started running: the max TTL anchor (RFC 3339).")
    private String startedAt;

    @JsonPropertyDescription("When the last job completed: the interactive TTL anchor (RFC 3339).")
    private String lastJobCompletedAt;

    @JsonPropertyDescription("startedAt + maxTTL (RFC 3339).")
    private String maxTTLDeadline;

    @JsonPropertyDescription("lastJobCompletedAt + interactiveTTL, while Active (RFC 3339).")
    private String interactiveDeadline;

    @JsonPropertyDescription("Job counts by phase.")
    private JobCounts jobs;

    @JsonPropertyDescription("Quantum time used by the workload.")
    private Usage usage;

    @JsonPropertyDescription("Machine-readable reason of the last transition (e.g. PlanNotAllowed, MaxTTLExpired).")
    private String reason;

    @JsonPropertyDescription("Human-readable message of the last transition.")
    private String message;

    @JsonPropertyDescription("When the workload last released its lease (RFC 3339); a job still running after it is charged as a single job.")
    private String leaseReleasedAt;

    public WorkloadPhase getPhase() {
        return phase;
    }

    public void setPhase(WorkloadPhase phase) {
        this.phase = phase;
    }

    public WorkloadLease getLease() {
        return lease;
    }

    public void setLease(WorkloadLease lease) {
        this.lease = lease;
    }

    public String getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(String startedAt) {
        this.startedAt = startedAt;
    }

    public String getLastJobCompletedAt() {
        return lastJobCompletedAt;
    }

    public void setLastJobCompletedAt(String lastJobCompletedAt) {
        this.lastJobCompletedAt = lastJobCompletedAt;
    }

    public String getMaxTTLDeadline() {
        return maxTTLDeadline;
    }

    public void setMaxTTLDeadline(String maxTTLDeadline) {
        this.maxTTLDeadline = maxTTLDeadline;
    }

    public String getInteractiveDeadline() {
        return interactiveDeadline;
    }

    public void setInteractiveDeadline(String interactiveDeadline) {
        this.interactiveDeadline = interactiveDeadline;
    }

    public JobCounts getJobs() {
        return jobs;
    }

    public void setJobs(JobCounts jobs) {
        this.jobs = jobs;
    }

    public Usage getUsage() {
        return usage;
    }

    public void setUsage(Usage usage) {
        this.usage = usage;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getLeaseReleasedAt() {
        return leaseReleasedAt;
    }

    public void setLeaseReleasedAt(String leaseReleasedAt) {
        this.leaseReleasedAt = leaseReleasedAt;
    }
}
