package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** A primitive unified bloc (PUB): a circuit with its parameter values and shots or observables. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(has(self.parameterValues) && has(self.namedParameterValues))",
        message = "give parameterValues (by position) or namedParameterValues (by name), not both")
public class Pub {
    @Required
    @JsonPropertyDescription("The circuit, as OpenQASM 2 or 3 source text.")
    @Size(min = 1, max = 262144)
    private String circuit;

    @JsonPropertyDescription("Parameter bindings by position: one row per binding, values in the order the circuit declares its inputs (`input float[64] theta;`). Circuits exported by qiskit.qasm3 declare them in circuit.parameters order, so a row in that order binds right. Absent (and no namedParameterValues) = the circuit has no parameters.")
    private List<List<Double>> parameterValues;

    @JsonPropertyDescription("Parameter bindings by name: each input's name (as the circuit declares it) to its values, one per binding; every input needs the same number of values. Instead of parameterValues.")
    private Map<String, List<Double>> namedParameterValues;

    @JsonPropertyDescription("Shots for this PUB (sampler); overrides spec.shots.")
    @Min(1)
    @Max(10000000)
    private Integer shots;

    @JsonPropertyDescription("Estimator observables: each item is one observable, a map from Pauli string (e.g. ZZ, qubit 0 rightmost) to its real coefficient. Each observable is evaluated for every parameter binding.")
    private List<Map<String, Double>> observables;

    @JsonPropertyDescription("Target precision (standard error) of the expectation values for this PUB (estimator); overrides spec.precision.")
    @Min(value = 0, inclusive = false)
    private Double precision;

    public String getCircuit() {
        return circuit;
    }

    public void setCircuit(String circuit) {
        this.circuit = circuit;
    }

    public List<List<Double>> getParameterValues() {
        return parameterValues;
    }

    public void setParameterValues(List<List<Double>> parameterValues) {
        this.parameterValues = parameterValues;
    }

    public Map<String, List<Double>> getNamedParameterValues() {
        return namedParameterValues;
    }

    public void setNamedParameterValues(Map<String, List<Double>> namedParameterValues) {
        this.namedParameterValues = namedParameterValues;
    }

    public Integer getShots() {
        return shots;
    }

    public void setShots(Integer shots) {
        this.shots = shots;
    }

    public List<Map<String, Double>> getObservables() {
        return observables;
    }

    public void setObservables(List<Map<String, Double>> observables) {
        this.observables = observables;
    }

    public Double getPrecision() {
        return precision;
    }

    public void setPrecision(Double precision) {
        this.precision = precision;
    }
}
