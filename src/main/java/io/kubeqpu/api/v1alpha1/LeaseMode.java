package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a workload holds a backend: Exclusive (session: nothing else runs, calibration included) or Shared (batch: spare capacity stays usable). */
public enum LeaseMode {
    @JsonProperty("Exclusive")
    EXCLUSIVE,
    @JsonProperty("Shared")
    SHARED
}
