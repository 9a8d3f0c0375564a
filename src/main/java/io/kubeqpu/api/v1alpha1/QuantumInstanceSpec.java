package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Desired state of a QuantumInstance: a tenant's account. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("The instance's plan, weight, usage limit and allowed backends.")
public class QuantumInstanceSpec {
    @Required
    @JsonPropertyDescription("Plan: open (no sessions), payg or premium.")
    private Plan plan;

    @JsonPropertyDescription("Quantum seconds the instance may use per usagePeriod. Absent = unlimited. Over the limit, no new job is dispatched.")
    @Min(0)
    private Long usageLimitSeconds;

    @ValidationRule(value = GoDurations.BOUNDED_RULE, message = "usagePeriod must be a duration such as 90s, 250ms or 1h30m, with at most 5 digits before h (7 before m, 9 before s)")
    @JsonPropertyDescription("Length of the usage accounting period (duration), after which usage restarts at zero.")
    @Default("720h")
    @Pattern(GoDurations.PATTERN)
    @Size(max = 32)
    @ValidationRule(value = GoDurations.IF_BOUNDED + "duration(self) > duration('0s')", message = "usagePeriod must be positive")
    private String usagePeriod = "720h";

    @JsonPropertyDescription("Fair-share weight across instances on a backend: the least recent usage divided by weight goes first.")
    @Default("1.0")
    @Min(value = 0, inclusive = false)
    private Double weight = 1.0;

    @JsonPropertyDescription("Backends this instance may use. Empty = all.")
    private List<String> allowedBackends;

    @JsonProperty("default")
    @JsonPropertyDescription("True makes this the namespace's default instance, used by jobs, batches and sessions that name none.")
    @Default("false")
    private Boolean defaultInstance = false;

    public Plan getPlan() {
        return plan;
    }

    public void setPlan(Plan plan) {
        this.plan = plan;
    }

    public Long getUsageLimitSeconds() {
        return usageLimitSeconds;
    }

    public void setUsageLimitSeconds(Long usageLimitSeconds) {
        this.usageLimitSeconds = usageLimitSeconds;
    }

    public String getUsagePeriod() {
        return usagePeriod;
    }

    public void setUsagePeriod(String usagePeriod) {
        this.usagePeriod = usagePeriod;
    }

    public Double getWeight() {
        return weight;
    }

    public void setWeight(Double weight) {
        this.weight = weight;
    }

    public List<String> getAllowedBackends() {
        return allowedBackends;
    }

    public void setAllowedBackends(List<String> allowedBackends) {
        this.allowedBackends = allowedBackends;
    }

    public Boolean getDefaultInstance() {
        return defaultInstance;
    }

    public void setDefaultInstance(Boolean defaultInstance) {
        this.defaultInstance = defaultInstance;
    }
}
