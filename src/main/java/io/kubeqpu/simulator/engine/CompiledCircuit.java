package io.kubeqpu.simulator.engine;

import io.kubeqpu.simulator.qasm.CExpr;
import io.kubeqpu.simulator.qasm.Instruction;
import java.util.List;

/**
 * A circuit bound to one parameter set, on dense qubit indices (only the qubits the circuit touches).
 * A <em>static</em> circuit (all measurements terminal, no classical control or assignment, no reset of a used
 * qubit) is the fused unitary {@code prefix} followed by terminal measurements; a <em>dynamic</em> one is the
 * list of {@code steps}, run by {@link CircuitRunner} once per distinct measured history.
 *
 * @param virtualToDense  dense index of each virtual qubit, -1 if untouched
 * @param prefix          static circuits: the fused unitary part
 * @param steps           dynamic circuits: the program (empty when static)
 * @param measureQubits   static circuits: dense qubit of each terminal measurement, in program order
 * @param measureClbits   static circuits: classical bit written by each terminal measurement
 */
public record CompiledCircuit(int numQubits, int[] virtualToDense, int numClbits, int numVars, List<UnitaryOp> prefix,
                              List<Step> steps, int[] measureQubits, int[] measureClbits) {

    public boolean dynamic() {
        return !steps.isEmpty();
    }

    /** One operation of a dynamic circuit; jump targets are indices into {@code steps}. */
    public sealed interface Step {
    }

    /** Fused unitaries between two non-unitary steps or jump targets. */
    public record Block(List<UnitaryOp> ops) implements Step {
    }

    /**
     * @param clbit     -1: a measurement without a target (only its collapse matters)
     * @param terminal  nothing later touches the qubit or reads/writes the bit: sampled at the end with the others
     */
    public record Measure(int qubit, int clbit, boolean terminal) implements Step {
    }

    public record Reset(int qubit) implements Step {
    }

    public record Store(Instruction.Store store) implements Step {
    }

    public record Branch(CExpr condition, int ifFalse) implements Step {
    }

    public record Jump(int target) implements Step {
    }
}
