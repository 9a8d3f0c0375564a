package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** What a job runs: a primitive and its PUBs. Shared by QuantumJob and the job templates of a QuantumBatch. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.primitive != 'estimator' || self.pubs.all(p, has(p.observables) && size(p.observables) > 0)", message = "every estimator PUB needs observables")
@ValidationRule(value = "self.primitive != 'sampler' || self.pubs.all(p, !has(p.observables))", message = "sampler PUBs take no observables")
public class PrimitiveSpec {
    @Required
    @JsonPropertyDescription("The primitive to run: sampler or estimator.")
    private Primitive primitive;

    @Required
    @JsonPropertyDescription("The PUBs (primitive unified blocs) to run.")
    @Size(min = 1, max = 1000)
    private List<Pub> pubs;

    @JsonPropertyDescription("Default shots for PUBs that set none (sampler). Absent = 4096.")
    @Min(1)
    @Max(10000000)
    private Integer shots;

    @JsonPropertyDescription("Default precision for PUBs that set none (estimator). Absent = 0.015625.")
    @Min(value = 0, inclusive = false)
    private Double precision;

    @JsonPropertyDescription("Seed of the simulator's random generator, for reproducible results.")
    private Long seed;

    @ValidationRule(value = GoDurations.BOUNDED_RULE, message = "maxExecutionTime must be a duration such as 90s, 250ms or 1h30m, with at most 5 digits before h (7 before m, 9 before s)")
    @JsonPropertyDescription("A running job is cancelled after this long on the QPU (duration, at most 3h). Absent = the backend's limits.maxExecutionTime.")
    @Pattern(GoDurations.PATTERN)
    @Size(max = 32)
    @ValidationRule(value = GoDurations.IF_BOUNDED + "duration(self) > duration('0s') && duration(self) <= duration('3h')", message = "maxExecutionTime must be positive and at most 3h")
    private String maxExecutionTime;

    /** Shots of a sampler PUB when neither the PUB nor the spec sets any (Qiskit's default). */
    public static final int DEFAULT_SHOTS = 4096;

    /** Precision of an estimator PUB when neither the PUB nor the spec sets any (Qiskit's default). */
    public static final double DEFAULT_PRECISION = 0.015625;

    public Primitive getPrimitive() {
        return primitive;
    }

    public void setPrimitive(Primitive primitive) {
        this.primitive = primitive;
    }

    public List<Pub> getPubs() {
        return pubs;
    }

    public void setPubs(List<Pub> pubs) {
        this.pubs = pubs;
    }

    public Integer getShots() {
        return shots;
    }

    public void setShots(Integer shots) {
        this.shots = shots;
    }

    public Double getPrecision() {
        return precision;
    }

    public void setPrecision(Double precision) {
        this.precision = precision;
    }

    public Long getSeed() {
        return seed;
    }

    public void setSeed(Long seed) {
        this.seed = seed;
    }

    public String getMaxExecutionTime() {
        return maxExecutionTime;
    }

    public void setMaxExecutionTime(String maxExecutionTime) {
        this.maxExecutionTime = maxExecutionTime;
    }
}
