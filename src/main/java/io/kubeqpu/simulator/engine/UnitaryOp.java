package io.kubeqpu.simulator.engine;

/**
 * A bound gate on dense qubit indices; {@code matrix} follows {@link Matrices}' operand convention. A fused run of
 * diagonal gates has {@code diagonal} instead (2^k phases, re/im interleaved, over {@code qubits}) and no matrix.
 */
public record UnitaryOp(int[] qubits, double[] matrix, double[] diagonal) {

    public UnitaryOp(int[] qubits, double[] matrix) {
        this(qubits, matrix, null);
    }

    public void applyTo(StateVector state) {
        if (diagonal != null) {
            state.applyDiagonal(qubits, diagonal);
        } else {
            state.apply(qubits, matrix);
        }
    }
}
