package io.kubeqpu.simulator.engine;

import io.kubeqpu.simulator.qasm.Expr;
import io.kubeqpu.simulator.qasm.Instruction;
import io.kubeqpu.simulator.qasm.QasmProgram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Binds a parsed program to parameter values and lowers it to a {@link CompiledCircuit}. */
public final class CircuitCompiler {
    private CircuitCompiler() {
    }

    /** Dense index per virtual qubit: touched qubits numbered in ascending virtual order, others -1. */
    public static int[] denseLayout(QasmProgram program) {
        boolean[] touched = new boolean[program.numQubits()];
        for (Instruction in : program.instructions()) {
            if (in instanceof Instruction.Gate) {
                for (int q : ((Instruction.Gate) in).qubits()) {
                    touched[q] = true;
                }
            } else if (in instanceof Instruction.Measure) {
                touched[((Instruction.Measure) in).qubit()] = true;
            } else if (in instanceof Instruction.Reset) {
                touched[((Instruction.Reset) in).qubit()] = true;
            }
        }
        int[] dense = new int[touched.length];
        int n = 0;
        for (int q = 0; q < touched.length; q++) {
            dense[q] = touched[q] ? n++ : -1;
        }
        return dense;
    }

    public static int countDense(int[] layout) {
        return (int) Arrays.stream(layout).filter(d -> d >= 0).count();
    }

    /** True when some measurement, reset or condition needs per-shot simulation. */
    public static boolean isDynamic(QasmProgram program) {
        return firstDynamicIndex(program) < program.instructions().size();
    }

    public static CompiledCircuit compile(QasmProgram program, double[] inputs) {
        int[] layout = denseLayout(program);
        int n = countDense(layout);
        List<Instruction> ins = program.instructions();
        int firstDynamic = firstDynamicIndex(program);
        boolean dynamic = firstDynamic < ins.size();
        // Per shot, everything from the first measurement on runs in order, so conditions see earlier results.
        int boundary = dynamic ? Math.min(firstDynamic, firstMeasureIndex(ins)) : ins.size();

        List<UnitaryOp> prefix = new ArrayList<>();
        List<CompiledCircuit.Step> suffix = new ArrayList<>();
        List<int[]> measures = new ArrayList<>();
        boolean[] used = new boolean[n];
        for (int i = 0; i < ins.size(); i++) {
            Instruction in = ins.get(i);
            boolean perShot = i >= boundary;
            if (in instanceof Instruction.Gate) {
                Instruction.Gate g = (Instruction.Gate) in;
                UnitaryOp op = bind(g, layout, inputs);
                for (int q : op.qubits()) {
                    used[q] = true;
                }
                if (perShot) {
                    suffix.add(new CompiledCircuit.Apply(op, g.condition()));
                } else {
                    prefix.add(op);
                }
            } else if (in instanceof Instruction.Measure) {
                Instruction.Measure m = (Instruction.Measure) in;
                int q = layout[m.qubit()];
                used[q] = true;
                if (perShot) {
                    suffix.add(new CompiledCircuit.Measure(q, m.clbit(), m.condition()));
                } else {
                    measures.add(new int[] {q, m.clbit()});
                }
            } else if (in instanceof Instruction.Reset) {
                Instruction.Reset r = (Instruction.Reset) in;
                int q = layout[r.qubit()];
                // A reset of a qubit nothing has touched yet is a no-op: it is still |0>.
                if (used[q] || r.condition() != null) {
                    suffix.add(new CompiledCircuit.Reset(q, r.condition()));
                }
            }
            // Barrier and delay only matter to the timing model.
        }
        int[] mq = measures.stream().mapToInt(a -> a[0]).toArray();
        int[] mc = measures.stream().mapToInt(a -> a[1]).toArray();
        return new CompiledCircuit(n, layout, program.numClbits(), GateFusion.fuse(prefix, n), List.copyOf(suffix),
                mq, mc);
    }

    private static int firstMeasureIndex(List<Instruction> ins) {
        for (int i = 0; i < ins.size(); i++) {
            if (ins.get(i) instanceof Instruction.Measure) {
                return i;
            }
        }
        return ins.size();
    }

    private static UnitaryOp bind(Instruction.Gate g, int[] layout, double[] inputs) {
        StandardGates.GateDef def = StandardGates.lookup(g.gate());
        double[] values = new double[g.params().size()];
        for (int i = 0; i < values.length; i++) {
            Expr e = g.params().get(i);
            values[i] = e.eval(inputs);
        }
        int[] q = new int[g.qubits().length];
        for (int i = 0; i < q.length; i++) {
            q[i] = layout[g.qubits()[i]];
        }
        return new UnitaryOp(q, def.matrix().apply(values));
    }

    /**
     * Index of the first instruction that forces per-shot simulation: a condition, a reset of an already
     * used qubit, or a measurement followed by a gate or reset on the same qubit (mid-circuit measurement).
     * Returns the instruction count when there is none.
     */
    static int firstDynamicIndex(QasmProgram program) {
        List<Instruction> ins = program.instructions();
        int[] lastQuantumTouch = new int[program.numQubits()];
        Arrays.fill(lastQuantumTouch, -1);
        for (int i = 0; i < ins.size(); i++) {
            Instruction in = ins.get(i);
            if (in instanceof Instruction.Gate) {
                for (int q : ((Instruction.Gate) in).qubits()) {
                    lastQuantumTouch[q] = i;
                }
            } else if (in instanceof Instruction.Reset) {
                lastQuantumTouch[((Instruction.Reset) in).qubit()] = i;
            }
        }
        boolean[] used = new boolean[program.numQubits()];
        for (int i = 0; i < ins.size(); i++) {
            Instruction in = ins.get(i);
            if (in.condition() != null) {
                return i;
            }
            if (in instanceof Instruction.Measure) {
                int q = ((Instruction.Measure) in).qubit();
                if (lastQuantumTouch[q] > i) {
                    return i;
                }
                used[q] = true;
            } else if (in instanceof Instruction.Reset) {
                if (used[((Instruction.Reset) in).qubit()]) {
                    return i;
                }
            } else if (in instanceof Instruction.Gate) {
                for (int q : ((Instruction.Gate) in).qubits()) {
                    used[q] = true;
                }
            }
        }
        return ins.size();
    }
}
