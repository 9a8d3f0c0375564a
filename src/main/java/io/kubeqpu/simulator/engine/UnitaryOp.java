package io.kubeqpu.simulator.engine;

/** A bound gate on dense qubit indices; {@code matrix} follows {@link Matrices}' operand convention. */
public record UnitaryOp(int[] qubits, double[] matrix) {
}
