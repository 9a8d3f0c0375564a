package io.kubeqpu.simulator.engine;

import io.kubeqpu.simulator.NoiseModel;
import java.util.SplittableRandom;

/** Runs a {@link CompiledCircuit}: final state for the estimator, measured bits per shot for the sampler. */
public final class CircuitRunner {
    private CircuitRunner() {
    }

    /** The state after the unitary part (static circuits: the state right before the terminal measurements). */
    public static StateVector finalState(CompiledCircuit c) {
        StateVector state = new StateVector(c.numQubits());
        for (UnitaryOp op : c.prefix()) {
            state.apply(op.qubits(), op.matrix());
        }
        return state;
    }

    /**
     * Samples {@code shots} executions. Noise: with probability {@code depolarizing} a shot's measured qubits
     * come out uniformly random (global depolarizing before read-out), then each measured bit flips with
     * probability {@code readoutError}.
     */
    public static ShotRecord sample(CompiledCircuit c, int shots, NoiseModel noise, SplittableRandom rng) {
        StateVector prepared = finalState(c);
        ShotRecord record = new ShotRecord(shots, c.numClbits());
        if (!c.dynamic()) {
            int[] outcomes = ShotSampler.sample(prepared.amplitudes(), shots, rng);
            int dimMask = (1 << c.numQubits()) - 1;
            for (int s = 0; s < shots; s++) {
                int outcome = outcomes[s];
                if (noise.depolarizing() > 0 && rng.nextDouble() < noise.depolarizing()) {
                    outcome = rng.nextInt() & dimMask;
                }
                for (int m = 0; m < c.measureQubits().length; m++) {
                    boolean bit = (outcome >>> c.measureQubits()[m] & 1) != 0;
                    record.set(s, c.measureClbits()[m], readout(bit, noise, rng));
                }
            }
            return record;
        }
        StateVector work = prepared.copy();
        boolean[] bits = new boolean[c.numClbits()];
        boolean[] measured = new boolean[c.numClbits()];
        for (int s = 0; s < shots; s++) {
            work.copyFrom(prepared);
            java.util.Arrays.fill(bits, false);
            for (CompiledCircuit.Step step : c.suffix()) {
                if (step.condition() != null && !step.condition().holds(bits)) {
                    continue;
                }
                if (step instanceof CompiledCircuit.Apply) {
                    UnitaryOp op = ((CompiledCircuit.Apply) step).op();
                    work.apply(op.qubits(), op.matrix());
                } else if (step instanceof CompiledCircuit.Measure) {
                    CompiledCircuit.Measure m = (CompiledCircuit.Measure) step;
                    bits[m.clbit()] = readout(work.measure(m.qubit(), rng), noise, rng);
                    measured[m.clbit()] = true;
                } else {
                    work.reset(((CompiledCircuit.Reset) step).qubit(), rng);
                }
            }
            boolean depolarized = noise.depolarizing() > 0 && rng.nextDouble() < noise.depolarizing();
            for (int b = 0; b < bits.length; b++) {
                boolean v = depolarized && measured[b] ? rng.nextBoolean() : bits[b];
                record.set(s, b, v);
            }
        }
        return record;
    }

    private static boolean readout(boolean bit, NoiseModel noise, SplittableRandom rng) {
        return noise.readoutError() > 0 && rng.nextDouble() < noise.readoutError() ? !bit : bit;
    }
}
