package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Plan of a QuantumInstance. open plans cannot run sessions. */
public enum Plan {
    @JsonProperty("open")
    OPEN,
    @JsonProperty("payg")
    PAYG,
    @JsonProperty("premium")
    PREMIUM
}
