package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Qiskit primitive a job runs. */
public enum Primitive {
    @JsonProperty("sampler")
    SAMPLER,
    @JsonProperty("estimator")
    ESTIMATOR
}
