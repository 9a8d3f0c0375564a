package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Optional noise model of the simulated QPU; zero means noiseless. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackendNoise {
    @JsonPropertyDescription("Probability that a measured bit is flipped, 0..1.")
    @Default("0.0")
    @Min(0)
    @Max(1)
    private Double readoutError = 0.0;

    @JsonPropertyDescription("Depolarizing error probability applied after each gate, 0..1.")
    @Default("0.0")
    @Min(0)
    @Max(1)
    private Double depolarizing = 0.0;

    public Double getReadoutError() {
        return readoutError;
    }

    public void setReadoutError(Double readoutError) {
        this.readoutError = readoutError;
    }

    public Double getDepolarizing() {
        return depolarizing;
    }

    public void setDepolarizing(Double depolarizing) {
        this.depolarizing = depolarizing;
    }
}
