package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

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

    @JsonPropertyDescription("Largest result a job may produce, in bytes of result JSON (sampler: shots × parameter sets × bits; estimator: observables × parameter sets); jobs whose result could be larger are refused at submission. The operator's kubeqpu.max-result-bytes (64 MiB by default) caps it.")
    @Default("16777216")
    @Min(1)
    private Long maxResultBytes = 16777216L;

    @ValidationRule(value = GoDurations.BOUNDED_RULE, message = "limits.maxTTL must be a duration such as 90s, 250ms or 1h30m, with at most 5 digits before h (7 before m, 9 before s)")
    @JsonPropertyDescription("Upper bound for a batch's or session's maxTTL on this backend (duration, e.g. 8h).")
    @Default("8h")
    @Pattern(GoDurations.PATTERN)
    @Size(max = 32)
    @ValidationRule(value = GoDurations.IF_BOUNDED + "duration(self) > duration('0s')", message = "limits.maxTTL must be positive (e.g. 8h)")
    private String maxTTL = "8h";

    @ValidationRule(value = GoDurations.BOUNDED_RULE, message = "limits.maxExecutionTime must be a duration such as 90s, 250ms or 1h30m, with at most 5 digits before h (7 before m, 9 before s)")
    @JsonPropertyDescription("Upper bound, and the default, for a job's maxExecutionTime on this backend (duration, e.g. 3h).")
    @Default("3h")
    @Pattern(GoDurations.PATTERN)
    @Size(max = 32)
    @ValidationRule(value = GoDurations.IF_BOUNDED + "duration(self) > duration('0s')", message = "limits.maxExecutionTime must be positive (e.g. 3h)")
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

    public Long getMaxResultBytes() {
        return maxResultBytes;
    }

    public void setMaxResultBytes(Long maxResultBytes) {
        this.maxResultBytes = maxResultBytes;
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
