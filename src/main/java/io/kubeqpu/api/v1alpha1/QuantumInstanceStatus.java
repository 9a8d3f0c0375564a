package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Observed state of a QuantumInstance. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("Usage in the current period and the instance's jobs; conditions Ready and UsageLimitExceeded.")
public class QuantumInstanceStatus extends ObservedStatus {
    @JsonPropertyDescription("Usage in the current period.")
    private InstanceUsage usage;

    @JsonPropertyDescription("Jobs of this instance waiting in a queue.")
    private Integer queuedJobs;

    @JsonPropertyDescription("Jobs of this instance running now.")
    private Integer runningJobs;

    @JsonPropertyDescription("Batches and sessions of this instance that are Active.")
    private Integer activeWorkloads;

    public InstanceUsage getUsage() {
        return usage;
    }

    public void setUsage(InstanceUsage usage) {
        this.usage = usage;
    }

    public Integer getQueuedJobs() {
        return queuedJobs;
    }

    public void setQueuedJobs(Integer queuedJobs) {
        this.queuedJobs = queuedJobs;
    }

    public Integer getRunningJobs() {
        return runningJobs;
    }

    public void setRunningJobs(Integer runningJobs) {
        this.runningJobs = runningJobs;
    }

    public Integer getActiveWorkloads() {
        return activeWorkloads;
    }

    public void setActiveWorkloads(Integer activeWorkloads) {
        this.activeWorkloads = activeWorkloads;
    }
}
