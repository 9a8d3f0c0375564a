package io.kubeqpu.simulator.engine;

import io.kubeqpu.simulator.qasm.Instruction.Condition;
import java.util.List;

/**
 * A circuit bound to one parameter set, on dense qubit indices (only the qubits the circuit touches).
 * A <em>static</em> circuit (all measurements terminal, no conditions, no reset of a used qubit) is simulated
 * once and its shots sampled from the final state; a <em>dynamic</em> one runs its unitary {@code prefix} once
 * and re-simulates the {@code suffix} per shot.
 *
 * @param virtualToDense  dense index of each virtual qubit, -1 if untouched
 * @param prefix          fused unitary part run once
 * @param suffix          per-shot steps (empty when static)
 * @param measureQubits   static circuits: dense qubit of each terminal measurement, in program order
 * @param measureClbits   static circuits: classical bit written by each terminal measurement
 */
public record CompiledCircuit(int numQubits, int[] virtualToDense, int numClbits, List<UnitaryOp> prefix,
                              List<Step> suffix, int[] measureQubits, int[] measureClbits) {

    public boolean dynamic() {
        return !suffix.isEmpty();
    }

    /** One per-shot operation of a dynamic circuit. */
    public sealed interface Step {
        Condition condition();
    }

    public record Apply(UnitaryOp op, Condition condition) implements Step {
    }

    public record Measure(int qubit, int clbit, Condition condition) implements Step {
    }

    public record Reset(int qubit, Condition condition) implements Step {
    }
}
