package io.kubeqpu.simulator;

import io.kubeqpu.simulator.qasm.Instruction;
import io.kubeqpu.simulator.qasm.QasmProgram;

/**
 * Duration of one circuit execution on the modelled QPU: instructions are scheduled as soon as possible
 * per qubit (a barrier synchronises its qubits), so the result is the critical path, not the gate sum.
 * Gates on three or more qubits count as six two-qubit gates (a Toffoli's CX count).
 */
final class CircuitTiming {
    private CircuitTiming() {
    }

    static double circuitSeconds(QasmProgram program, TimingModel t) {
        double[] ready = new double[program.numQubits()];
        for (Instruction in : program.instructions()) {
            if (in instanceof Instruction.Gate) {
                int[] q = ((Instruction.Gate) in).qubits();
                double d = q.length == 1 ? t.oneQubitGateSeconds()
                        : q.length == 2 ? t.twoQubitGateSeconds() : 6 * t.twoQubitGateSeconds();
                occupy(ready, q, d);
            } else if (in instanceof Instruction.Measure) {
                occupy(ready, new int[] {((Instruction.Measure) in).qubit()}, t.measureSeconds());
            } else if (in instanceof Instruction.Reset) {
                occupy(ready, new int[] {((Instruction.Reset) in).qubit()}, t.resetSeconds());
            } else if (in instanceof Instruction.Delay) {
                Instruction.Delay d = (Instruction.Delay) in;
                occupy(ready, d.qubits(), d.seconds() + d.dt() * t.dtSeconds());
            } else if (in instanceof Instruction.Barrier) {
                int[] q = ((Instruction.Barrier) in).qubits();
                occupy(ready, q.length == 0 ? allQubits(ready.length) : q, 0);
            }
        }
        double end = 0;
        for (double r : ready) {
            end = Math.max(end, r);
        }
        return end;
    }

    private static void occupy(double[] ready, int[] qubits, double duration) {
        double start = 0;
        for (int q : qubits) {
            start = Math.max(start, ready[q]);
        }
        for (int q : qubits) {
            ready[q] = start + duration;
        }
    }

    private static int[] allQubits(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }
}
