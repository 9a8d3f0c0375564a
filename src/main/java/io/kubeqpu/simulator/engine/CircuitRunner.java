package io.kubeqpu.simulator.engine;

import io.kubeqpu.simulator.NoiseModel;
import io.kubeqpu.simulator.qasm.Memory;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.SplittableRandom;

/**
 * Runs a {@link CompiledCircuit}: final state for the estimator, measured bits per shot for the sampler.
 *
 * <p>Dynamic circuits are not re-simulated per shot. The shots travel together; at a mid-circuit measurement
 * or reset they split by a binomial draw on the outcome's probability (and on the read-out error), and each
 * group follows its own branch, so the state is simulated once per distinct measured history — at most
 * min(shots, 2^k) branches for k mid-circuit measurements. Terminal measurements are sampled in one pass at the
 * end of each branch. Branches wait on a stack with a copy of the state while the {@link CopyBudget} allows;
 * beyond it they keep only their measured history and are re-simulated from the start with those outcomes
 * forced, so memory stays bounded. Shots are assigned to result rows by a seeded random permutation, so rows are
 * independent draws as on hardware.
 */
public final class CircuitRunner {
    /** Steps one shot's control flow may take before the circuit is refused as not terminating. */
    static final long MAX_STEPS_PER_BRANCH = 10_000_000;

    private CircuitRunner() {
    }

    /** The state after the unitary part (static circuits: the state right before the terminal measurements). */
    public static StateVector finalState(CompiledCircuit c) {
        return finalState(c, Parallelism.SERIAL);
    }

    public static StateVector finalState(CompiledCircuit c, Parallelism par) {
        StateVector state = new StateVector(c.numQubits(), par);
        for (UnitaryOp op : c.prefix()) {
            op.applyTo(state);
        }
        return state;
    }

    public static ShotRecord sample(CompiledCircuit c, int shots, NoiseModel noise, SplittableRandom rng) {
        return sample(c, shots, noise, rng, Parallelism.SERIAL, CopyBudget.UNLIMITED);
    }

    /**
     * Samples {@code shots} executions. Noise: with probability {@code depolarizing} a shot's measured bits
     * come out uniformly random (global depolarizing before read-out), and each measured bit flips with
     * probability {@code readoutError} (in dynamic circuits later conditions see the flipped value).
     */
    public static ShotRecord sample(CompiledCircuit c, int shots, NoiseModel noise, SplittableRandom rng,
                                    Parallelism par, CopyBudget budget) {
        if (!c.dynamic()) {
            return sampleStatic(c, shots, noise, rng, par);
        }
        return new Branching(c, shots, noise, rng, par, budget).run();
    }

    private static ShotRecord sampleStatic(CompiledCircuit c, int shots, NoiseModel noise, SplittableRandom rng,
                                           Parallelism par) {
        StateVector prepared = finalState(c, par);
        ShotRecord record = new ShotRecord(shots, c.numClbits());
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

    private static boolean readout(boolean bit, NoiseModel noise, SplittableRandom rng) {
        return noise.readoutError() > 0 && rng.nextDouble() < noise.readoutError() ? !bit : bit;
    }

    /** A group of shots sharing one measured history. */
    private static final class Path {
        StateVector state; // null: re-simulate from |0> with `choices` forced
        long reserved;
        Memory memory;
        BitSet measured;
        int pc;
        int[] pending = new int[0]; // terminal measurements so far: qubit, clbit pairs
        int[] choices;               // outcome·2 + recorded bit, per mid-circuit event, from the start
        int events;
        int shots;
    }

    private static final class Branching {
        final CompiledCircuit c;
        final int totalShots;
        final NoiseModel noise;
        final SplittableRandom rng;
        final Parallelism par;
        final CopyBudget budget;
        final ShotRecord record;
        final int[] rowOf;
        int nextRow;
        StateVector work;

        Branching(CompiledCircuit c, int shots, NoiseModel noise, SplittableRandom rng, Parallelism par,
                  CopyBudget budget) {
            this.c = c;
            this.totalShots = shots;
            this.noise = noise;
            this.rng = rng;
            this.par = par;
            this.budget = budget;
            this.record = new ShotRecord(shots, c.numClbits());
            this.rowOf = new int[shots];
            for (int i = 0; i < shots; i++) {
                rowOf[i] = i;
            }
            for (int i = shots - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = rowOf[i];
                rowOf[i] = rowOf[j];
                rowOf[j] = t;
            }
        }

        ShotRecord run() {
            Deque<Path> stack = new ArrayDeque<>();
            Path root = new Path();
            root.choices = new int[0];
            root.shots = totalShots;
            stack.push(root);
            while (!stack.isEmpty()) {
                Path path = stack.pop();
                if (path.state == null) {
                    if (work == null) {
                        work = new StateVector(c.numQubits(), par);
                    } else {
                        work.setZero();
                    }
                    path.state = work;
                    path.memory = new Memory(c.numClbits(), c.numVars());
                    path.measured = new BitSet();
                    path.pc = 0;
                    path.events = 0;
                    path.pending = new int[0];
                }
                try {
                    follow(path, stack);
                } finally {
                    if (path.reserved > 0) {
                        budget.release(path.reserved);
                    }
                }
            }
            return record;
        }

        /** Runs {@code path} to the end, pushing the other branches of every split. */
        private void follow(Path path, Deque<Path> stack) {
            StateVector sv = path.state;
            long steps = 0;
            while (path.pc < c.steps().size()) {
                if (++steps > MAX_STEPS_PER_BRANCH) {
                    throw new CircuitRuntimeException("the circuit's control flow ran more than " + MAX_STEPS_PER_BRANCH
                            + " steps in one shot (a while loop that never ends?)");
                }
                CompiledCircuit.Step step = c.steps().get(path.pc);
                if (step instanceof CompiledCircuit.Block b) {
                    for (UnitaryOp op : b.ops()) {
                        op.applyTo(sv);
                    }
                    path.pc++;
                } else if (step instanceof CompiledCircuit.Store s) {
                    try {
                        s.store().apply(path.memory);
                    } catch (ArithmeticException e) {
                        throw new CircuitRuntimeException(e.getMessage());
                    }
                    path.pc++;
                } else if (step instanceof CompiledCircuit.Branch b) {
                    boolean holds;
                    try {
                        holds = b.condition().asBool(path.memory);
                    } catch (ArithmeticException e) {
                        throw new CircuitRuntimeException(e.getMessage());
                    }
                    path.pc = holds ? path.pc + 1 : b.ifFalse();
                } else if (step instanceof CompiledCircuit.Jump j) {
                    path.pc = j.target();
                } else if (step instanceof CompiledCircuit.Measure m && m.terminal()) {
                    int[] p = Arrays.copyOf(path.pending, path.pending.length + 2);
                    p[p.length - 2] = m.qubit();
                    p[p.length - 1] = m.clbit();
                    path.pending = p;
                    path.measured.set(m.clbit());
                    path.pc++;
                } else {
                    event(path, step, stack);
                }
            }
            leaf(path);
        }

        /** A mid-circuit measurement or reset: split the shots over the outcomes (or follow a forced one). */
        private void event(Path path, CompiledCircuit.Step step, Deque<Path> stack) {
            StateVector sv = path.state;
            int qubit = step instanceof CompiledCircuit.Measure m ? m.qubit() : ((CompiledCircuit.Reset) step).qubit();
            int clbit = step instanceof CompiledCircuit.Measure m ? m.clbit() : -1;
            double p1 = Math.min(1, Math.max(0, sv.probabilityOfOne(qubit)));
            if (path.events < path.choices.length) {
                apply(path, step, path.choices[path.events], p1);
                path.events++;
                path.pc++;
                return;
            }
            int[] counts = new int[4]; // index: outcome·2 + recorded bit
            int n1 = binomial(path.shots, p1);
            int n0 = path.shots - n1;
            if (clbit >= 0 && noise.readoutError() > 0) {
                int f0 = binomial(n0, noise.readoutError());
                int f1 = binomial(n1, noise.readoutError());
                counts[0] = n0 - f0;
                counts[1] = f0;
                counts[2] = f1;
                counts[3] = n1 - f1;
            } else {
                counts[0] = n0;
                counts[3] = n1;
            }
            int last = -1;
            for (int ch = 0; ch < 4; ch++) {
                if (counts[ch] > 0) {
                    last = ch;
                }
            }
            for (int ch = 0; ch < last; ch++) {
                if (counts[ch] == 0) {
                    continue;
                }
                Path other = new Path();
                other.choices = Arrays.copyOf(path.choices, path.events + 1);
                other.choices[path.events] = ch;
                other.shots = counts[ch];
                long bytes = StateVector.bytes(c.numQubits());
                if (budget.tryReserve(bytes)) {
                    other.state = sv.copy();
                    other.reserved = bytes;
                    other.memory = path.memory.copy();
                    other.measured = (BitSet) path.measured.clone();
                    other.pending = path.pending.clone();
                    other.pc = path.pc;
                    other.events = path.events;
                    apply(other, step, ch, p1);
                    other.events++;
                    other.pc++;
                }
                stack.push(other);
            }
            int[] extended = Arrays.copyOf(path.choices, path.events + 1);
            extended[path.events] = last;
            path.choices = extended;
            path.shots = counts[last];
            apply(path, step, last, p1);
            path.events++;
            path.pc++;
        }

        private static void apply(Path path, CompiledCircuit.Step step, int choice, double p1) {
            boolean outcome = (choice >> 1) != 0;
            double probability = outcome ? p1 : 1 - p1;
            if (step instanceof CompiledCircuit.Measure m) {
                path.state.project(m.qubit(), outcome, probability, false);
                if (m.clbit() >= 0) {
                    path.memory.bits[m.clbit()] = (choice & 1) != 0;
                    path.measured.set(m.clbit());
                }
            } else {
                path.state.project(((CompiledCircuit.Reset) step).qubit(), outcome, probability, true);
            }
        }

        /** Writes the rows of a finished branch, sampling its terminal measurements in one pass. */
        private void leaf(Path path) {
            int shots = path.shots;
            int[] outcomes = path.pending.length > 0 ? ShotSampler.sample(path.state.amplitudes(), shots, rng) : null;
            int numClbits = c.numClbits();
            for (int s = 0; s < shots; s++) {
                int row = rowOf[nextRow++];
                for (int b = 0; b < numClbits; b++) {
                    record.set(row, b, path.memory.bits[b]);
                }
                for (int i = 0; i < path.pending.length; i += 2) {
                    boolean bit = (outcomes[s] >>> path.pending[i] & 1) != 0;
                    record.set(row, path.pending[i + 1], readout(bit, noise, rng));
                }
                if (noise.depolarizing() > 0 && rng.nextDouble() < noise.depolarizing()) {
                    for (int b = path.measured.nextSetBit(0); b >= 0; b = path.measured.nextSetBit(b + 1)) {
                        record.set(row, b, rng.nextBoolean());
                    }
                }
            }
        }

        /** Binomial(n, p) by n Bernoulli draws (n ≤ shots; exact, and cheap next to a state sweep). */
        private int binomial(int n, double p) {
            if (p <= 0) {
                return 0;
            }
            if (p >= 1) {
                return n;
            }
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (rng.nextDouble() < p) {
                    k++;
                }
            }
            return k;
        }
    }
}
