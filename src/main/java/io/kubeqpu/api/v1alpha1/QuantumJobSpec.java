package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of a QuantumJob: one primitive request. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("What to run (primitive and PUBs) and where (backend, or the session or batch it joins).")
@ValidationRule(value = "!(has(self.sessionRef) && has(self.batchRef))", message = "set at most one of sessionRef and batchRef")
@ValidationRule(value = "has(self.backend) || has(self.sessionRef) || has(self.batchRef)", message = "set backend, sessionRef or batchRef")
@ValidationRule(value = "has(self.backend) == has(oldSelf.backend) && (!has(self.backend) || self.backend == oldSelf.backend)", message = "backend is immutable")
@ValidationRule(value = "has(self.instance) == has(oldSelf.instance) && (!has(self.instance) || self.instance == oldSelf.instance)", message = "instance is immutable")
@ValidationRule(value = "has(self.sessionRef) == has(oldSelf.sessionRef) && (!has(self.sessionRef) || self.sessionRef == oldSelf.sessionRef)", message = "sessionRef is immutable")
@ValidationRule(value = "has(self.batchRef) == has(oldSelf.batchRef) && (!has(self.batchRef) || self.batchRef == oldSelf.batchRef)", message = "batchRef is immutable")
@ValidationRule(value = "self.primitive == oldSelf.primitive", message = "primitive is immutable")
@ValidationRule(value = "self.pubs == oldSelf.pubs", message = "pubs is immutable")
@ValidationRule(value = "has(self.shots) == has(oldSelf.shots) && (!has(self.shots) || self.shots == oldSelf.shots)", message = "shots cannot change once the job is submitted (the QPU runs what was submitted): delete the job and apply it again")
@ValidationRule(value = "has(self.precision) == has(oldSelf.precision) && (!has(self.precision) || self.precision == oldSelf.precision)", message = "precision cannot change once the job is submitted: delete the job and apply it again")
@ValidationRule(value = "has(self.seed) == has(oldSelf.seed) && (!has(self.seed) || self.seed == oldSelf.seed)", message = "seed cannot change once the job is submitted: delete the job and apply it again")
@ValidationRule(value = "has(self.maxExecutionTime) == has(oldSelf.maxExecutionTime) && (!has(self.maxExecutionTime) || self.maxExecutionTime == oldSelf.maxExecutionTime)", message = "maxExecutionTime cannot change once the job is submitted: delete the job and apply it again")
public class QuantumJobSpec extends PrimitiveSpec {
    @JsonPropertyDescription("Name of the QuantumBackend to run on. Optional with sessionRef or batchRef (inherited from the workload); immutable.")
    @Pattern(Names.DNS_SUBDOMAIN)
    @Size(max = 253)
    private String backend;

    @JsonPropertyDescription("Name of the QuantumInstance to bill. Absent = the workload's instance, else the namespace's default instance; immutable.")
    @Pattern(Names.DNS_SUBDOMAIN)
    @Size(max = 253)
    private String instance;

    @JsonPropertyDescription("Run inside this QuantumSession (same namespace); immutable.")
    private LocalObjectRef sessionRef;

    @JsonPropertyDescription("Run as part of this QuantumBatch (same namespace); immutable.")
    private LocalObjectRef batchRef;

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

    public LocalObjectRef getSessionRef() {
        return sessionRef;
    }

    public void setSessionRef(LocalObjectRef sessionRef) {
        this.sessionRef = sessionRef;
    }

    public LocalObjectRef getBatchRef() {
        return batchRef;
    }

    public void setBatchRef(LocalObjectRef batchRef) {
        this.batchRef = batchRef;
    }
}
