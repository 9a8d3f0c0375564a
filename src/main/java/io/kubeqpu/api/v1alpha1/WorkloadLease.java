package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The lease a batch or session holds on its backend while Active. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadLease {
    @JsonPropertyDescription("Backend the lease is held on.")
    private String backend;

    @JsonPropertyDescription("Exclusive (session) or Shared (batch).")
    private LeaseMode mode;

    @JsonPropertyDescription("When the lease was acquired (RFC 3339).")
    private String acquiredAt;

    @JsonPropertyDescription("A session: when the backend became its own (other instances' running jobs drained) and its wall-clock usage started (RFC 3339); absent while they drain.")
    private String usageFrom;

    public String getBackend() {
        return backend;
    }

    public void setBackend(String backend) {
        this.backend = backend;
    }

    public LeaseMode getMode() {
        return mode;
    }

    public void setMode(LeaseMode mode) {
        this.mode = mode;
    }

    public String getAcquiredAt() {
        return acquiredAt;
    }

    public void setAcquiredAt(String acquiredAt) {
        this.acquiredAt = acquiredAt;
    }

    public String getUsageFrom() {
        return usageFrom;
    }

    public void setUsageFrom(String usageFrom) {
        this.usageFrom = usageFrom;
    }
}
