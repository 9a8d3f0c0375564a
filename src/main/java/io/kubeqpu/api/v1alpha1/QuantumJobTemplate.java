package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An inline job of a QuantumBatch. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QuantumJobTemplate {
    @Required
    @JsonPropertyDescription("Name of the template; the operator creates the QuantumJob <batch name>-<name>. A DNS label, unique in the batch.")
    @Pattern(Names.DNS_LABEL)
    @Size(min = 1, max = 63)
    private String name;

    @Required
    @JsonPropertyDescription("What the job runs; backend, instance and batchRef come from the batch.")
    private PrimitiveSpec spec;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public PrimitiveSpec getSpec() {
        return spec;
    }

    public void setSpec(PrimitiveSpec spec) {
        this.spec = spec;
    }
}
