package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Desired state of a QuantumSession: a dedicated window on a backend. Jobs join it with sessionRef. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QuantumSessionSpec extends WorkloadSpec {
}
