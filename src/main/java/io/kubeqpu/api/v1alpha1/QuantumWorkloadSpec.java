package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Spec fields shared by QuantumBatch and QuantumSession. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.backend == oldSelf.backend", message = "backend is immutable")
@ValidationRule(value = "has(self.instance) == has(oldSelf.instance) && (!has(self.instance) || self.instance == oldSelf.instance)", message = "instance is immutable")
@ValidationRule(value = "!(has(oldSelf.acceptingJobs) && !oldSelf.acceptingJobs) || (has(self.acceptingJobs) && !self.acceptingJobs)", message = "a closed workload cannot accept jobs again")
@ValidationRule(value = "has(self.maxTTL) == has(oldSelf.maxTTL) && (!has(self.maxTTL) || self.maxTTL == oldSelf.maxTTL)", message = "maxTTL cannot change after creation (the deadline counts from the first job's start): create a new session or batch")
@ValidationRule(value = "has(self.interactiveTTL) == has(oldSelf.interactiveTTL) && (!has(self.interactiveTTL) || self.interactiveTTL == oldSelf.interactiveTTL)", message = "interactiveTTL cannot change after creation: create a new session or batch")
@ValidationRule(value = "!has(self.maxTTL) || !has(self.interactiveTTL) || !self.maxTTL.matches('" + GoDurations.BOUNDED + "') || !self.interactiveTTL.matches('" + GoDurations.BOUNDED + "') || duration(self.interactiveTTL) <= duration(self.maxTTL)", message = "interactiveTTL must not exceed maxTTL")
public abstract class QuantumWorkloadSpec {
    @Required
    @JsonPropertyDescription("Name of the QuantumBackend the workload runs on; immutable.")
    @Pattern(Names.DNS_SUBDOMAIN)
    @Size(max = 253)
    private String backend;

    @JsonPropertyDescription("Name of the QuantumInstance to bill. Absent = the namespace's default instance; immutable.")
    @Pattern(Names.DNS_SUBDOMAIN)
    @Size(max = 253)
    private String instance;

    @ValidationRule(value = GoDurations.BOUNDED_RULE, message = "maxTTL must be a duration such as 90s, 250ms or 1h30m, with at most 5 digits before h (7 before m, 9 before s)")
    @JsonPropertyDescription("Maximum time to live from the start of the first job, never paused (duration, bounded by the backend's limits.maxTTL). When reached the workload is Expired.")
    @Default("8h")
    @Pattern(GoDurations.PATTERN)
    @Size(max = 32)
    @ValidationRule(value = GoDurations.IF_BOUNDED + "duration(self) > duration('0s')", message = "maxTTL must be positive")
    private String maxTTL = "8h";

    @ValidationRule(value = GoDurations.BOUNDED_RULE, message = "interactiveTTL must be a duration such as 90s, 250ms or 1h30m, with at most 5 digits before h (7 before m, 9 before s)")
    @JsonPropertyDescription("Interactive time to live, restarted when a job completes (duration). If no job is ready within it the workload goes Inactive and releases the backend.")
    @Default("60s")
    @Pattern(GoDurations.PATTERN)
    @Size(max = 32)
    @ValidationRule(value = GoDurations.IF_BOUNDED + "duration(self) > duration('0s')", message = "interactiveTTL must be positive")
    private String interactiveTTL = "60s";

    @JsonPropertyDescription("false closes the workload: new jobs naming it are refused, submitted jobs still run. Cannot be set back to true.")
    @Default("true")
    private Boolean acceptingJobs = true;

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

    public String getMaxTTL() {
        return maxTTL;
    }

    public void setMaxTTL(String maxTTL) {
        this.maxTTL = maxTTL;
    }

    public String getInteractiveTTL() {
        return interactiveTTL;
    }

    public void setInteractiveTTL(String interactiveTTL) {
        this.interactiveTTL = interactiveTTL;
    }

    public Boolean getAcceptingJobs() {
        return acceptingJobs;
    }

    public void setAcceptingJobs(Boolean acceptingJobs) {
        this.acceptingJobs = acceptingJobs;
    }
}
