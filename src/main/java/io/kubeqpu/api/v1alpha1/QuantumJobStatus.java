package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Observed state of a QuantumJob. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("Where the job is (phase, queue position, backend), its usage and result; conditions Ready, Finished (reason Succeeded, Failed or Cancelled) and Stalled.")
public class QuantumJobStatus extends ObservedStatus {
    @JsonPropertyDescription("Pending, Queued, Running, Completed, Failed or Cancelled.")
    private JobPhase phase;

    @JsonPropertyDescription("1-based position in the backend's queue while Queued.")
    private Integer queuePosition;

    @JsonPropertyDescription("Estimated start time while Queued (RFC 3339).")
    private String estimatedStartAt;

    @JsonPropertyDescription("The backend the job runs on (resolved from spec, session or batch).")
    private String backend;

    @JsonPropertyDescription("The instance the job is billed to (resolved).")
    private String instance;

    @JsonPropertyDescription("Execution mode: job, batch or session.")
    private ExecutionMode mode;

    @JsonPropertyDescription("When the job entered a queue (RFC 3339).")
    private String queuedAt;

    @JsonPropertyDescription("When the job started on the QPU (RFC 3339).")
    private String startedAt;

    @JsonPropertyDescription("When the job reached a final phase (RFC 3339).")
    private String completedAt;

    @JsonPropertyDescription("QPU time used.")
    private Usage usage;

    @JsonPropertyDescription("ConfigMap (owned by the job) holding the result JSON (gzip in binaryData when large).")
    private LocalObjectRef resultRef;

    @JsonPropertyDescription("Number of times the job was dispatched to the QPU.")
    private Integer attempts;

    @JsonPropertyDescription("Machine-readable reason of the last transition (e.g. MaxTTLExpired, UsageLimitExceeded, WorkloadClosed).")
    private String reason;

    @JsonPropertyDescription("Human-readable message of the last transition.")
    private String message;

    @JsonPropertyDescription("Set while Running after its session or batch expired: the job is stopped at this instant, when its instance reaches its usage limit (RFC 3339).")
    private String usageLimitStopAt;

    @JsonPropertyDescription("The order in which the operator first saw the job (a monotonic sequence, kept across restarts): jobs start in this order within an instance's normal queue and within a session, also when created in the same second.")
    private Long arrival;

    public JobPhase getPhase() {
        return phase;
    }

    public void setPhase(JobPhase phase) {
        this.phase = phase;
    }

    public Integer getQueuePosition() {
        return queuePosition;
    }

    public void setQueuePosition(Integer queuePosition) {
        this.queuePosition = queuePosition;
    }

    public String getEstimatedStartAt() {
        return estimatedStartAt;
    }

    public void setEstimatedStartAt(String estimatedStartAt) {
        this.estimatedStartAt = estimatedStartAt;
    }

    public String getBackend() {
        return backend;
    }

    public void setBackend(String backend) {
        this.backend = backend;
    }

    public String getInstance() {
        return instance;
    }

    public void setInstance(String instance) {
        this.instance = instance;
    }

    public ExecutionMode getMode() {
        return mode;
    }

    public void setMode(ExecutionMode mode) {
        this.mode = mode;
    }

    public String getQueuedAt() {
        return queuedAt;
    }

    public void setQueuedAt(String queuedAt) {
        this.queuedAt = queuedAt;
    }

    public String getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(String startedAt) {
        this.startedAt = startedAt;
    }

    public String getCompletedAt() {
        return completedAt;
    }

    public void setCompletedAt(String completedAt) {
        this.completedAt = completedAt;
    }

    public Usage getUsage() {
        return usage;
    }

    public void setUsage(Usage usage) {
        this.usage = usage;
    }

    public LocalObjectRef getResultRef() {
        return resultRef;
    }

    public void setResultRef(LocalObjectRef resultRef) {
        this.resultRef = resultRef;
    }

    public Integer getAttempts() {
        return attempts;
    }

    public void setAttempts(Integer attempts) {
        this.attempts = attempts;
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

    public String getUsageLimitStopAt() {
        return usageLimitStopAt;
    }

    public void setUsageLimitStopAt(String usageLimitStopAt) {
        this.usageLimitStopAt = usageLimitStopAt;
    }

    public Long getArrival() {
        return arrival;
    }

    public void setArrival(Long arrival) {
        this.arrival = arrival;
    }
}
