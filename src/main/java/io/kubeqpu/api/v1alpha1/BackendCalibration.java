package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Calibration schedule of a backend. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackendCalibration {
    @ValidationRule(value = GoDurations.BOUNDED_RULE, message = "calibration.interval must be a duration such as 90s, 250ms or 1h30m, with at most 5 digits before h (7 before m, 9 before s)")
    @JsonPropertyDescription("Time between two calibrations (duration). Calibration runs between jobs, never inside an active session.")
    @Default("1h")
    @Pattern(GoDurations.PATTERN)
    @Size(max = 32)
    private String interval = "1h";

    @ValidationRule(value = GoDurations.BOUNDED_RULE, message = "calibration.duration must be a duration such as 90s, 250ms or 1h30m, with at most 5 digits before h (7 before m, 9 before s)")
    @JsonPropertyDescription("How long one calibration keeps the QPU busy (duration).")
    @Default("2m")
    @Pattern(GoDurations.PATTERN)
    @Size(max = 32)
    private String duration = "2m";

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public String getDuration() {
        return duration;
    }

    public void setDuration(String duration) {
        this.duration = duration;
    }
}
