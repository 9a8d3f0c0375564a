package io.kubeqpu.simulator.qasm;

import java.util.List;

/** One flat operation of a parsed circuit, with qubits as the circuit's virtual qubit indices. */
public sealed interface Instruction {

    /** {@code null} for unconditional instructions. */
    Condition condition();

    /**
     * Classical condition {@code bits == value} ({@code equal}) or {@code bits != value} (an {@code else}
     * branch); bits little-endian, the first one is the least significant.
     */
    record Condition(int[] clbits, long value, boolean equal) {
        public boolean holds(boolean[] bits) {
            long v = 0;
            for (int i = 0; i < clbits.length; i++) {
                if (bits[clbits[i]]) {
                    v |= 1L << i;
                }
            }
            return (v == value) == equal;
        }

        public Condition negate() {
            return new Condition(clbits, value, !equal);
        }
    }

    /**
     * A built-in gate after user-gate expansion.
     *
     * @param gate canonical name in {@link io.kubeqpu.simulator.engine.StandardGates}
     */
    record Gate(String gate, List<Expr> params, int[] qubits, Condition condition) implements Instruction {
    }

    record Measure(int qubit, int clbit, Condition condition) implements Instruction {
    }

    record Reset(int qubit, Condition condition) implements Instruction {
    }

    record Barrier(int[] qubits) implements Instruction {
        public Condition condition() {
            return null;
        }
    }

    /** {@code delay[...]}: {@code seconds} plus {@code dt} device ticks. */
    record Delay(double seconds, double dt, int[] qubits, Condition condition) implements Instruction {
    }
}
