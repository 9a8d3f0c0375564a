package io.kubeqpu.simulator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class GateFusionTest {

    @Property(tries = 200)
    void fusedCircuitGivesTheSameStateAsGateByGate(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int length) {
        int n = 5;
        List<UnitaryOp> ops = randomCircuit(new Random(seed), n, length);
        StateVector plain = new StateVector(n);
        for (UnitaryOp op : ops) {
            plain.apply(op.qubits(), op.matrix());
        }
        StateVector fused = new StateVector(n);
        List<UnitaryOp> merged = GateFusion.fuse(ops, n);
        for (UnitaryOp op : merged) {
            op.applyTo(fused);
        }
        assertThat(merged.size()).isLessThanOrEqualTo(ops.size());
        assertThat(fused.amplitudes()).containsExactly(plain.amplitudes(), within(1e-10));
    }

    @Property(tries = 100)
    void diagonalRunsFuseIntoOneSweepWithTheSameState(@ForAll long seed) {
        // QFT-like: h, then controlled phases and other diagonal gates on up to 14 qubits (runs split at 10).
        Random r = new Random(seed);
        int n = 14;
        List<UnitaryOp> ops = new ArrayList<>();
        String[] diagonal = {"cp", "rz", "cz", "rzz", "crz", "p", "t", "ccz"};
        for (int g = 0; g < 80; g++) {
            if (r.nextInt(8) == 0) {
                ops.add(new UnitaryOp(new int[] {r.nextInt(n)}, StandardGates.lookup("h").matrix().apply(new double[0])));
                continue;
            }
            StandardGates.GateDef def = StandardGates.lookup(diagonal[r.nextInt(diagonal.length)]);
            int[] q = new int[def.numQubits()];
            for (int i = 0; i < q.length; i++) {
                int c;
                do {
                    c = r.nextInt(n);
                } while (contains(q, i, c));
                q[i] = c;
            }
            double[] params = new double[def.numParams()];
            for (int i = 0; i < params.length; i++) {
                params[i] = r.nextDouble() * 6 - 3;
            }
            ops.add(new UnitaryOp(q, def.matrix().apply(params)));
        }
        StateVector plain = new StateVector(n);
        StateVector fused = new StateVector(n, new Parallelism(2));
        for (int q = 0; q < n; q++) {
            double[] h = StandardGates.lookup("h").matrix().apply(new double[0]);
            plain.apply1(q, h);
            fused.apply1(q, h);
        }
        for (UnitaryOp op : ops) {
            plain.apply(op.qubits(), op.matrix());
        }
        List<UnitaryOp> merged = GateFusion.fuse(ops, n);
        assertThat(merged.stream().filter(op -> op.diagonal() != null)).isNotEmpty();
        for (UnitaryOp op : merged) {
            op.applyTo(fused);
        }
        assertThat(fused.amplitudes()).containsExactly(plain.amplitudes(), within(1e-10));
    }

    private static boolean contains(int[] q, int upTo, int c) {
        for (int i = 0; i < upTo; i++) {
            if (q[i] == c) {
                return true;
            }
        }
        return false;
    }

    @Test
    void runsOfOneQubitGatesCollapseIntoOneMatrixPerQubit() {
        double[] h = StandardGates.lookup("h").matrix().apply(new double[0]);
        List<UnitaryOp> ops = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ops.add(new UnitaryOp(new int[] {0}, h));
            ops.add(new UnitaryOp(new int[] {1}, h));
        }
        assertThat(GateFusion.fuse(ops, 2)).hasSize(2);
    }

    @Test
    void oneQubitGatesAroundATwoQubitGateFoldIntoIt() {
        double[] h = StandardGates.lookup("h").matrix().apply(new double[0]);
        double[] cx = StandardGates.lookup("cx").matrix().apply(new double[0]);
        List<UnitaryOp> ops = List.of(new UnitaryOp(new int[] {0}, h), new UnitaryOp(new int[] {0, 1}, cx),
                new UnitaryOp(new int[] {1}, h), new UnitaryOp(new int[] {1, 0}, cx));
        assertThat(GateFusion.fuse(ops, 2)).hasSize(1);
    }

    static List<UnitaryOp> randomCircuit(Random r, int n, int length) {
        String[] oneQ = {"h", "x", "sx", "t", "s", "y"};
        String[] twoQ = {"cx", "cz", "swap", "ecr", "ch"};
        List<UnitaryOp> ops = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            int kind = r.nextInt(10);
            if (kind < 5) {
                double[] m = kind == 0
                        ? StandardGates.lookup("u").matrix().apply(new double[] {r.nextDouble(), r.nextDouble(), r.nextDouble()})
                        : StandardGates.lookup(oneQ[r.nextInt(oneQ.length)]).matrix().apply(new double[0]);
                ops.add(new UnitaryOp(new int[] {r.nextInt(n)}, m));
            } else if (kind < 9) {
                int a = r.nextInt(n);
                int b = (a + 1 + r.nextInt(n - 1)) % n;
                double[] m = kind == 5
                        ? StandardGates.lookup("rzz").matrix().apply(new double[] {r.nextDouble() * 3})
                        : StandardGates.lookup(twoQ[r.nextInt(twoQ.length)]).matrix().apply(new double[0]);
                ops.add(new UnitaryOp(new int[] {a, b}, m));
            } else {
                int a = r.nextInt(n);
                int b = (a + 1) % n;
                int c = (a + 2) % n;
                ops.add(new UnitaryOp(new int[] {c, a, b}, StandardGates.lookup("ccx").matrix().apply(new double[0])));
            }
        }
        return ops;
    }
}
