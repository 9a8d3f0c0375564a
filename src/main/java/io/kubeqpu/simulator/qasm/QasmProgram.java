package io.kubeqpu.simulator.qasm;

import java.util.List;
import java.util.Map;

/**
 * A parsed circuit: registers, symbolic {@code input} parameters and flat instructions.
 *
 * @param numQubits  width: declared qubits, or highest physical qubit {@code $n} + 1
 * @param numVars    classical variable slots ({@code int}, {@code bool}, {@code float}… declarations)
 * @param gateCalls  gates called at top level (as written, e.g. {@code "h"}, {@code "U"}) with the position of
 *                   the first call, for the backend's ISA check
 */
public record QasmProgram(int version, List<String> inputs, int numQubits, List<ClassicalRegister> classicalRegisters,
                          int numClbits, int numVars, List<Instruction> instructions,
                          Map<String, SourcePosition> gateCalls) {

    public record ClassicalRegister(String name, int offset, int size) {
    }

    public record SourcePosition(int line, int column) {
        @Override
        public String toString() {
            return "line " + line + ", column " + column;
        }
    }

    /** True when the instructions hold run-time control flow ({@link Instruction.Branch}/{@link Instruction.Jump}). */
    public boolean hasControlFlow() {
        return instructions.stream().anyMatch(i -> i instanceof Instruction.Branch || i instanceof Instruction.Jump
                || i instanceof Instruction.Store);
    }
}
