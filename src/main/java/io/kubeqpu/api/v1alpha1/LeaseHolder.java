package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The workload holding a backend lease. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LeaseHolder {
    @JsonPropertyDescription("Kind of the holder: QuantumSession or QuantumBatch.")
    private String kind;

    @JsonPropertyDescription("Namespace of the holder.")
    private String namespace;

    @JsonPropertyDescription("Name of the holder.")
    private String name;

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
