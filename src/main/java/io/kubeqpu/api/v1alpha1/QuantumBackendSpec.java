package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Desired state of a QuantumBackend. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.couplingMap) || self.couplingMap.all(e, size(e) != 2 || e[0] < self.numQubits && e[1] < self.numQubits)", message = "couplingMap qubit indices must be below numQubits")
@JsonClassDescription("The QPU's description: the admin's desired state.")
public class QuantumBackendSpec {
    @Required
    @JsonPropertyDescription("Number of qubits of the QPU.")
    @Min(1)
    @Max(40)
    private Integer numQubits;

    @JsonPropertyDescription("Native gate names (e.g. ecr, rz, sx, x, measure). Empty = every gate the simulator knows.")
    @Size(max = 64)
    private List<String> basisGates;

    @JsonPropertyDescription("When true, circuits must already use only basisGates and couplingMap (ISA circuits); when false the operator compiles them to native gates.")
    @Default("false")
    private Boolean requireIsa = false;

    @JsonPropertyDescription("Directed qubit pairs [control, target] two-qubit gates may act on. Absent = all-to-all.")
    @Size(max = 2048)
    @ValidationRule(value = "self.all(e, size(e) == 2 && e[0] >= 0 && e[1] >= 0 && e[0] != e[1])", message = "couplingMap entries must be pairs [a, b] of distinct non-negative qubit indices")
    private List<List<Integer>> couplingMap;

    /** The one place for these defaults: the CRD's {@code default}, and what the operator uses when a field is absent. */
    public static final int DEFAULT_PARALLELISM = 1;
    public static final int DEFAULT_PREPROCESSING_LANES = 5;

    @JsonPropertyDescription("How many jobs the QPU runs at the same time.")
    @Default("" + DEFAULT_PARALLELISM)
    @Min(1)
    @Max(64)
    private Integer parallelism = DEFAULT_PARALLELISM;

    @JsonPropertyDescription("Parallel classical pre-processing lanes (parse, validate, compile) that prepare jobs ahead of execution.")
    @Default("" + DEFAULT_PREPROCESSING_LANES)
    @Min(1)
    @Max(64)
    private Integer preprocessingLanes = DEFAULT_PREPROCESSING_LANES;

    @JsonPropertyDescription("Limits imposed on jobs, batches and sessions.")
    @Default("{}")
    private BackendLimits limits = new BackendLimits();

    @JsonPropertyDescription("Timing model used to compute QPU time (usage).")
    @Default("{}")
    private BackendTiming timing = new BackendTiming();

    @JsonPropertyDescription("Noise model; all zero = noiseless.")
    @Default("{}")
    private BackendNoise noise = new BackendNoise();

    @JsonPropertyDescription("Calibration schedule.")
    @Default("{}")
    private BackendCalibration calibration = new BackendCalibration();

    @JsonPropertyDescription("Simulator pod(s) standing in for the QPU.")
    @Default("{}")
    private SimulatorSpec simulator = new SimulatorSpec();

    public Integer getNumQubits() {
        return numQubits;
    }

    public void setNumQubits(Integer numQubits) {
        this.numQubits = numQubits;
    }

    public List<String> getBasisGates() {
        return basisGates;
    }

    public void setBasisGates(List<String> basisGates) {
        this.basisGates = basisGates;
    }

    public Boolean getRequireIsa() {
        return requireIsa;
    }

    public void setRequireIsa(Boolean requireIsa) {
        this.requireIsa = requireIsa;
    }

    public List<List<Integer>> getCouplingMap() {
        return couplingMap;
    }

    public void setCouplingMap(List<List<Integer>> couplingMap) {
        this.couplingMap = couplingMap;
    }

    public Integer getParallelism() {
        return parallelism;
    }

    public void setParallelism(Integer parallelism) {
        this.parallelism = parallelism;
    }

    public Integer getPreprocessingLanes() {
        return preprocessingLanes;
    }

    public void setPreprocessingLanes(Integer preprocessingLanes) {
        this.preprocessingLanes = preprocessingLanes;
    }

    public BackendLimits getLimits() {
        return limits;
    }

    public void setLimits(BackendLimits limits) {
        this.limits = limits;
    }

    public BackendTiming getTiming() {
        return timing;
    }

    public void setTiming(BackendTiming timing) {
        this.timing = timing;
    }

    public BackendNoise getNoise() {
        return noise;
    }

    public void setNoise(BackendNoise noise) {
        this.noise = noise;
    }

    public BackendCalibration getCalibration() {
        return calibration;
    }

    public void setCalibration(BackendCalibration calibration) {
        this.calibration = calibration;
    }

    public SimulatorSpec getSimulator() {
        return simulator;
    }

    public void setSimulator(SimulatorSpec simulator) {
        this.simulator = simulator;
    }
}
