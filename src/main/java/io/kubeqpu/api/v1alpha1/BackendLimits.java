package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Limits a backend imposes on the workloads it runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackendLimits {
    @JsonPropertyDescription("Largest shots a PUB may request on this backend.")
    @Default("100000")
    @Min(1)
    private Integer maxShots = 100000;

    @JsonPropertyDescription("Largest OpenQASM circuit text accepted, in bytes.")
    @Default("262144")
    @Min(1)
    private Integer maxCircuitBytes = 262144;

    @JsonPropertyDescription("Upper bound for a batch's or session's maxTTL on this backend (duration, e.g. 8h).")
    @Default("8h")
    @Pattern(Durations.PATTERN)
    @Size(max = 32)
    private String maxTTL = "8h";

    @JsonPropertyDescription("Upper bound, and the default, for a job's maxExecutionTime on this backend (duration, e.g. 3h).")
    @Default("3h")
    @Pattern(Durations.PATTERN)
    @Size(max = 32)
    private String maxExecutionTime = "3h";

    public Integer getMaxShots() {
        return maxShots;
    }

    public void setMaxShots(Integer maxShots) {
        this.maxShots = maxShots;
    }

    public Integer getMaxCircuitBytes() {
        return maxCircuitBytes;
    }

    public void setMaxCircuitBytes(Integer maxCircuitBytes) {
        this.maxCircuitBytes = maxCircuitBytes;
    }

    public String getMaxTTL() {
        return maxTTL;
    }

    public void setMaxTTL(String maxTTL) {
        this.maxTTL = maxTTL;
    }

    public String getMaxExecutionTime() {
        return maxExecutionTime;
    }

    public void setMaxExecutionTime(String maxExecutionTime) {
        this.maxExecutionTime = maxExecutionTime;
    }
}
