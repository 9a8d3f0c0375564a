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
            for (int q : quantumOperands(in)) {
                touched[q] = true;
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

    /** True when the circuit needs more than one simulation followed by sampling (see {@link CompiledCircuit}). */
    public static boolean isDynamic(QasmProgram program) {
        return !new Analysis(program).isStatic;
    }

    /**
     * @throws IllegalArgumentException when a bound gate parameter is not a finite number (message names the
     *                                  gate and the value)
     */
    public static CompiledCircuit compile(QasmProgram program, double[] inputs) {
        int[] layout = denseLayout(program);
        int n = countDense(layout);
        List<Instruction> ins = program.instructions();
        Analysis a = new Analysis(program);
        if (a.isStatic) {
            List<UnitaryOp> ops = new ArrayList<>();
            List<int[]> measures = new ArrayList<>();
            for (Instruction in : ins) {
                if (in instanceof Instruction.Gate g) {
                    ops.add(bind(g, layout, inputs));
                } else if (in instanceof Instruction.Measure m && m.clbit() >= 0) {
                    measures.add(new int[] {layout[m.qubit()], m.clbit()});
                }
            }
            return new CompiledCircuit(n, layout, program.numClbits(), program.numVars(), GateFusion.fuse(ops, n),
                    List.of(), measures.stream().mapToInt(x -> x[0]).toArray(),
                    measures.stream().mapToInt(x -> x[1]).toArray());
        }
        List<CompiledCircuit.Step> steps = new ArrayList<>();
        int[] stepOf = new int[ins.size() + 1];
        List<UnitaryOp> block = new ArrayList<>();
        for (int i = 0; i < ins.size(); i++) {
            Instruction in = ins.get(i);
            if (a.jumpTarget[i]) {
                flush(block, steps, n);
            }
            stepOf[i] = steps.size();
            if (in instanceof Instruction.Gate g) {
                block.add(bind(g, layout, inputs));
                continue;
            }
            if (in instanceof Instruction.Barrier || in instanceof Instruction.Delay) {
                continue; // timing only
            }
            if (in instanceof Instruction.Reset r && a.droppableReset[i]) {
                continue; // a fresh qubit is |0> already
            }
            if (in instanceof Instruction.Store && a.deadStore[i]) {
                continue;
            }
            if (in instanceof Instruction.Measure m && a.terminal[i] && m.clbit() < 0) {
                continue; // nothing reads it and nothing follows on the qubit
            }
            flush(block, steps, n);
            stepOf[i] = steps.size();
            if (in instanceof Instruction.Measure m) {
                steps.add(new CompiledCircuit.Measure(layout[m.qubit()], m.clbit(), a.terminal[i]));
            } else if (in instanceof Instruction.Reset r) {
                steps.add(new CompiledCircuit.Reset(layout[r.qubit()]));
            } else if (in instanceof Instruction.Store s) {
                steps.add(new CompiledCircuit.Store(s));
            } else if (in instanceof Instruction.Branch b) {
                steps.add(new CompiledCircuit.Branch(b.condition(), b.ifFalse()));
            } else if (in instanceof Instruction.Jump j) {
                steps.add(new CompiledCircuit.Jump(j.target()));
            }
        }
        if (a.jumpTarget[ins.size()]) {
            flush(block, steps, n);
        }
        flush(block, steps, n);
        stepOf[ins.size()] = steps.size();
        for (int s = 0; s < steps.size(); s++) {
            if (steps.get(s) instanceof CompiledCircuit.Branch b) {
                steps.set(s, new CompiledCircuit.Branch(b.condition(), stepOf[b.ifFalse()]));
            } else if (steps.get(s) instanceof CompiledCircuit.Jump j) {
                steps.set(s, new CompiledCircuit.Jump(stepOf[j.target()]));
            }
        }
        if (steps.isEmpty()) {
            steps.add(new CompiledCircuit.Block(List.of())); // keeps the circuit dynamic (e.g. only stores)
        }
        return new CompiledCircuit(n, layout, program.numClbits(), program.numVars(), List.of(), List.copyOf(steps),
                new int[0], new int[0]);
    }

    private static void flush(List<UnitaryOp> block, List<CompiledCircuit.Step> steps, int n) {
        if (!block.isEmpty()) {
            steps.add(new CompiledCircuit.Block(GateFusion.fuse(new ArrayList<>(block), n)));
            block.clear();
        }
    }

    private static UnitaryOp bind(Instruction.Gate g, int[] layout, double[] inputs) {
        double[] values = new double[g.params().size()];
        for (int i = 0; i < values.length; i++) {
            Expr e = g.params().get(i);
            values[i] = e.eval(inputs);
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("gate '" + g.gate() + "' got a non-finite angle (" + values[i]
                        + ") from the bound parameter values; angles must be finite numbers");
            }
        }
        int[] q = new int[g.qubits().length];
        for (int i = 0; i < q.length; i++) {
            q[i] = layout[g.qubits()[i]];
        }
        double[] m = g.matrix().apply(values);
        for (double v : m) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("gate '" + g.gate() + "' has a non-finite matrix for parameters "
                        + Arrays.toString(values));
            }
        }
        return new UnitaryOp(q, m);
    }

    private static int[] quantumOperands(Instruction in) {
        if (in instanceof Instruction.Gate g) {
            return g.qubits();
        }
        if (in instanceof Instruction.Measure m) {
            return new int[] {m.qubit()};
        }
        if (in instanceof Instruction.Reset r) {
            return new int[] {r.qubit()};
        }
        return new int[0];
    }

    /**
     * Which measurements are terminal (nothing later touches the qubit, reads or writes the bit, and no loop
     * can come back to them), which resets act on qubits still |0⟩, and where jumps land.
     */
    private static final class Analysis {
        final boolean[] terminal;
        final boolean[] droppableReset;
        final boolean[] jumpTarget;
        final boolean[] deadStore;
        final boolean isStatic;

        Analysis(QasmProgram program) {
            List<Instruction> ins = program.instructions();
            int size = ins.size();
            terminal = new boolean[size];
            droppableReset = new boolean[size];
            jumpTarget = new boolean[size + 1];
            int[] lastTouch = new int[program.numQubits()];
            int[] firstTouch = new int[program.numQubits()];
            Arrays.fill(lastTouch, -1);
            Arrays.fill(firstTouch, Integer.MAX_VALUE);
            int[] lastRead = new int[program.numClbits()];
            int[] lastWrite = new int[program.numClbits()];
            Arrays.fill(lastRead, -1);
            Arrays.fill(lastWrite, -1);
            int[] loopDepth = new int[size + 1]; // difference array: spans of backward jumps
            boolean control = false;
            // Variables some run-time expression reads; stores to the others are dead (their values were folded).
            java.util.BitSet liveVars = new java.util.BitSet();
            for (Instruction in : ins) {
                if (in instanceof Instruction.Store s) {
                    liveVars.or(s.value().varsRead());
                } else if (in instanceof Instruction.Branch b) {
                    liveVars.or(b.condition().varsRead());
                }
            }
            deadStore = new boolean[size];
            for (int i = 0; i < size; i++) {
                Instruction in = ins.get(i);
                for (int q : quantumOperands(in)) {
                    lastTouch[q] = i;
                    firstTouch[q] = Math.min(firstTouch[q], i);
                }
                if (in instanceof Instruction.Measure m && m.clbit() >= 0) {
                    lastWrite[m.clbit()] = i;
                } else if (in instanceof Instruction.Store s && s.clbits() == null && !liveVars.get(s.variable())) {
                    deadStore[i] = true;
                } else if (in instanceof Instruction.Store s) {
                    control = true;
                    final int at = i;
                    s.value().bitsRead().stream().forEach(b -> lastRead[b] = at);
                    if (s.clbits() != null) {
                        for (int b : s.clbits()) {
                            lastWrite[b] = i;
                        }
                    }
                } else if (in instanceof Instruction.Branch b) {
                    control = true;
                    final int at = i;
                    b.condition().bitsRead().stream().forEach(x -> lastRead[x] = at);
                    jumpTarget[b.ifFalse()] = true;
                } else if (in instanceof Instruction.Jump j) {
                    control = true;
                    jumpTarget[j.target()] = true;
                    if (j.target() <= i) {
                        loopDepth[j.target()]++;
                        loopDepth[i + 1]--;
                    }
                }
            }
            boolean allStatic = !control;
            int depth = 0;
            for (int i = 0; i < size; i++) {
                depth += loopDepth[i];
                Instruction in = ins.get(i);
                if (in instanceof Instruction.Measure m) {
                    boolean t = depth == 0 && lastTouch[m.qubit()] == i
                            && (m.clbit() < 0 || (lastRead[m.clbit()] < i && lastWrite[m.clbit()] == i));
                    terminal[i] = t;
                    allStatic &= t;
                } else if (in instanceof Instruction.Reset r) {
                    droppableReset[i] = depth == 0 && firstTouch[r.qubit()] == i;
                    allStatic &= droppableReset[i];
                }
            }
            isStatic = allStatic;
        }
    }
}
