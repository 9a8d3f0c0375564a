package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Job counts of a workload by phase. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobCounts {
    @JsonPropertyDescription("All jobs of the workload.")
    private Integer total;

    @JsonPropertyDescription("Jobs Pending or Queued.")
    private Integer queued;

    @JsonPropertyDescription("Jobs Running.")
    private Integer running;

    @JsonPropertyDescription("Jobs Completed.")
    private Integer completed;

    @JsonPropertyDescription("Jobs Failed.")
    private Integer failed;

    @JsonPropertyDescription("Jobs Cancelled.")
    private Integer cancelled;

    public Integer getTotal() {
        return total;
    }

    public void setTotal(Integer total) {
        this.total = total;
    }

    public Integer getQueued() {
        return queued;
    }

    public void setQueued(Integer queued) {
        this.queued = queued;
    }

    public Integer getRunning() {
        return running;
    }

    public void setRunning(Integer running) {
        this.running = running;
    }

    public Integer getCompleted() {
        return completed;
    }

    public void setCompleted(Integer completed) {
        this.completed = completed;
    }

    public Integer getFailed() {
        return failed;
    }

    public void setFailed(Integer failed) {
        this.failed = failed;
    }

    public Integer getCancelled() {
        return cancelled;
    }

    public void setCancelled(Integer cancelled) {
        this.cancelled = cancelled;
    }
}
