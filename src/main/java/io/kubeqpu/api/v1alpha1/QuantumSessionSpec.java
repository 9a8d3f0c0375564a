package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Desired state of a QuantumSession: a dedicated window on a backend. Jobs join it with sessionRef. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("The session's backend, instance and TTLs; set acceptingJobs false to close it.")
public class QuantumSessionSpec extends QuantumWorkloadSpec {
}
