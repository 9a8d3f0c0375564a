package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The lease a workload holds on a backend, as seen from the backend. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackendLease {
    @JsonPropertyDescription("The session or batch holding the lease.")
    private LeaseHolder holder;

    @JsonPropertyDescription("Exclusive (session) or Shared (batch).")
    private LeaseMode mode;

    @JsonPropertyDescription("When the lease was acquired (RFC 3339).")
    private String acquiredAt;

    public LeaseHolder getHolder() {
        return holder;
    }

    public void setHolder(LeaseHolder holder) {
        this.holder = holder;
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
}
