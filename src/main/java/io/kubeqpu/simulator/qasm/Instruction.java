package io.kubeqpu.simulator.qasm;

import java.util.List;
import java.util.function.Function;

/**
 * One operation of a parsed circuit, with qubits as the circuit's virtual qubit indices. Control flow that
 * depends on values known only at run time (measured bits) is lowered to {@link Branch} and {@link Jump}
 * over this flat list; everything known before (constant conditions, {@code for} loops, loops on constant
 * variables) is resolved by the parser, so a circuit without run-time control flow has no jumps.
 */
public sealed interface Instruction {

    /**
     * A unitary on {@code qubits}: a built-in gate, or a gate with modifiers ({@code ctrl @}, {@code inv @}…)
     * whose matrix {@code matrix} computes from the bound parameter values.
     *
     * @param gate canonical built-in name ({@link io.kubeqpu.simulator.engine.StandardGates}) or the call as
     *             written with its modifiers
     */
    record Gate(String gate, List<Expr> params, int[] qubits, Function<double[], double[]> matrix)
            implements Instruction {
    }

    /** @param clbit {@code -1} for {@code measure q;} without a target */
    record Measure(int qubit, int clbit) implements Instruction {
    }

    record Reset(int qubit) implements Instruction {
    }

    record Barrier(int[] qubits) implements Instruction {
    }

    /** {@code delay[...]}: {@code seconds} plus {@code dt} device ticks. */
    record Delay(double seconds, double dt, int[] qubits) implements Instruction {
    }

    /**
     * Classical assignment: {@code value} into {@code clbits} (its low bits, first bit least significant) or,
     * when {@code clbits} is {@code null}, into variable slot {@code variable} of type {@code type}.
     */
    record Store(int[] clbits, int variable, CType type, CExpr value) implements Instruction {
        public void apply(Memory m) {
            if (clbits != null) {
                long v = value.asLong(m);
                for (int i = 0; i < clbits.length; i++) {
                    m.bits[clbits[i]] = i < 64 && (v >>> i & 1) != 0;
                }
            } else if (type.isFloat()) {
                m.vars[variable] = Double.doubleToRawLongBits(value.asDouble(m));
            } else {
                m.vars[variable] = type.wrap(type.kind() == CType.Kind.BOOL ? (value.asBool(m) ? 1 : 0) : value.asLong(m));
            }
        }
    }

    /** Continue with the next instruction if {@code condition} holds, else jump to index {@code ifFalse}. */
    record Branch(CExpr condition, int ifFalse) implements Instruction {
    }

    /** Continue at index {@code target}. */
    record Jump(int target) implements Instruction {
    }
}
