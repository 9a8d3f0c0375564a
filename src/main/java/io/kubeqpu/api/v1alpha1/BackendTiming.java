package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Timing model of the QPU: usage is about overhead + (repDelay + circuit time) x shots. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackendTiming {
    @ValidationRule(value = GoDurations.BOUNDED_RULE, message = "timing.overhead must be a duration such as 90s, 250ms or 1h30m, with at most 5 digits before h (7 before m, 9 before s)")
    @JsonPropertyDescription("Fixed cost of every job on the QPU (load, setup), duration.")
    @Default("1s")
    @Pattern(GoDurations.PATTERN)
    @Size(max = 32)
    private String overhead = "1s";

    @ValidationRule(value = GoDurations.BOUNDED_RULE, message = "timing.repDelay must be a duration such as 90s, 250ms or 1h30m, with at most 5 digits before h (7 before m, 9 before s)")
    @JsonPropertyDescription("Delay between two shots (repetition delay), duration.")
    @Default("250us")
    @Pattern(GoDurations.PATTERN)
    @Size(max = 32)
    private String repDelay = "250us";

    @ValidationRule(value = GoDurations.BOUNDED_RULE, message = "timing.singleQubitGate must be a duration such as 90s, 250ms or 1h30m, with at most 5 digits before h (7 before m, 9 before s)")
    @JsonPropertyDescription("Duration of one single-qubit gate.")
    @Default("50ns")
    @Pattern(GoDurations.PATTERN)
    @Size(max = 32)
    private String singleQubitGate = "50ns";

    @ValidationRule(value = GoDurations.BOUNDED_RULE, message = "timing.twoQubitGate must be a duration such as 90s, 250ms or 1h30m, with at most 5 digits before h (7 before m, 9 before s)")
    @JsonPropertyDescription("Duration of one two-qubit gate.")
    @Default("500ns")
    @Pattern(GoDurations.PATTERN)
    @Size(max = 32)
    private String twoQubitGate = "500ns";

    @ValidationRule(value = GoDurations.BOUNDED_RULE, message = "timing.measure must be a duration such as 90s, 250ms or 1h30m, with at most 5 digits before h (7 before m, 9 before s)")
    @JsonPropertyDescription("Duration of one measurement.")
    @Default("4us")
    @Pattern(GoDurations.PATTERN)
    @Size(max = 32)
    private String measure = "4us";

    @JsonPropertyDescription("Factor applied to modelled durations before they are spent in wall-clock time; below 1 speeds a demo up (0.001 turns 1s into 1ms).")
    @Default("1.0")
    @Min(value = 0, inclusive = false)
    @Max(1000)
    private Double timeScale = 1.0;

    public String getOverhead() {
        return overhead;
    }

    public void setOverhead(String overhead) {
        this.overhead = overhead;
    }

    public String getRepDelay() {
        return repDelay;
    }

    public void setRepDelay(String repDelay) {
        this.repDelay = repDelay;
    }

    public String getSingleQubitGate() {
        return singleQubitGate;
    }

    public void setSingleQubitGate(String singleQubitGate) {
        this.singleQubitGate = singleQubitGate;
    }

    public String getTwoQubitGate() {
        return twoQubitGate;
    }

    public void setTwoQubitGate(String twoQubitGate) {
        this.twoQubitGate = twoQubitGate;
    }

    public String getMeasure() {
        return measure;
    }

    public void setMeasure(String measure) {
        this.measure = measure;
    }

    public Double getTimeScale() {
        return timeScale;
    }

    public void setTimeScale(Double timeScale) {
        this.timeScale = timeScale;
    }
}
