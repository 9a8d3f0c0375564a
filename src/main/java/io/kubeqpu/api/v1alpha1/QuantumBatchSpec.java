package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Desired state of a QuantumBatch. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("The batch's backend, instance, TTLs and inline job templates.")
public class QuantumBatchSpec extends QuantumWorkloadSpec {
    @JsonPropertyDescription("Jobs submitted with the batch: the operator creates one owned QuantumJob per template. More jobs may join by naming the batch in batchRef.")
    @Size(max = 500)
    @ValidationRule(value = "self.all(j, self.exists_one(k, k.name == j.name))", message = "job template names must be unique")
    private List<QuantumJobTemplate> jobs;

    public List<QuantumJobTemplate> getJobs() {
        return jobs;
    }

    public void setJobs(List<QuantumJobTemplate> jobs) {
        this.jobs = jobs;
    }
}
