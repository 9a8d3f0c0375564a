package io.kubeqpu.simulator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeqpu.simulator.NoiseModel;
import io.kubeqpu.simulator.qasm.QasmParser;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The branching runner and the threaded kernels: same answers whatever the memory or thread count. */
class DynamicCircuitTest {
    private static final String H = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n";

    /** 8 qubits, entangling layers, two mid-circuit measurements, a reset and a conditional: many branches. */
    private static final String DYNAMIC = H + """
            qubit[8] q; bit[2] m; bit[8] c;
            for int l in [0:3] { for int i in [0:7] { ry(0.3 + 0.2*i + l) q[i]; } for int i in [0:6] { cx q[i], q[i+1]; } }
            m[0] = measure q[2];
            reset q[5];
            if (m[0]) { h q[5]; } else { rx(0.4) q[6]; }
            for int i in [0:6] { cx q[i], q[i+1]; }
            m[1] = measure q[3];
            if (m == 3) { x q[0]; }
            c = measure q;
            """;

    private static CompiledCircuit compile(String qasm) throws Exception {
        return CircuitCompiler.compile(QasmParser.parse(qasm), new double[0]);
    }

    private static boolean[][] bits(ShotRecord r) {
        boolean[][] b = new boolean[r.shots()][r.numClbits()];
        for (int s = 0; s < r.shots(); s++) {
            for (int k = 0; k < r.numClbits(); k++) {
                b[s][k] = r.get(s, k);
            }
        }
        return b;
    }

    @Test
    void reSimulatingBranchesWithoutCopiesGivesTheSameShots() throws Exception {
        CompiledCircuit c = compile(DYNAMIC);
        assertThat(c.dynamic()).isTrue();
        NoiseModel noise = new NoiseModel(0.05, 0.02);
        ShotRecord copies = CircuitRunner.sample(c, 3000, noise, new SplittableRandom(7), Parallelism.SERIAL,
                CopyBudget.UNLIMITED);
        ShotRecord replays = CircuitRunner.sample(c, 3000, noise, new SplittableRandom(7), Parallelism.SERIAL,
                CopyBudget.NONE);
        assertThat(bits(replays)).isDeepEqualTo(bits(copies));
    }

    @Test
    void threadCountDoesNotChangeResults() throws Exception {
        CompiledCircuit c = compile(DYNAMIC.replace("qubit[8] q", "qubit[16] q").replace("bit[8] c", "bit[16] c"));
        Parallelism two = new Parallelism(2);
        ShotRecord one = CircuitRunner.sample(c, 2000, NoiseModel.none(), new SplittableRandom(3), Parallelism.SERIAL,
                CopyBudget.UNLIMITED);
        ShotRecord many = CircuitRunner.sample(c, 2000, NoiseModel.none(), new SplittableRandom(3), two,
                CopyBudget.UNLIMITED);
        assertThat(bits(many)).isDeepEqualTo(bits(one));
    }

    @Test
    void threadedKernelsMatchTheSerialOnesBitForBit() {
        SplittableRandom rng = new SplittableRandom(11);
        StateVector serial = new StateVector(16);
        StateVector threaded = new StateVector(16, new Parallelism(3));
        for (int g = 0; g < 60; g++) {
            int a = rng.nextInt(16);
            int b = (a + 1 + rng.nextInt(15)) % 16;
            int c = (b + 1 + rng.nextInt(14)) % 16;
            if (c == a) {
                c = (c + 1) % 16;
            }
            int[] q = g % 3 == 0 ? new int[] {a} : g % 3 == 1 ? new int[] {a, b} : new int[] {a, b, c};
            double[] u = random1(rng);
            for (int k = 1; k < q.length; k++) {
                // entangle: a controlled rotation after a product of random single-qubit gates
                u = Matrices.multiply(Matrices.controlled(random1(rng), k), Matrices.kron(random1(rng), u));
            }
            serial.apply(q, u);
            threaded.apply(q, u);
        }
        assertThat(threaded.amplitudes()).containsExactly(serial.amplitudes());
        assertThat(threaded.probabilityOfOne(7)).isEqualTo(serial.probabilityOfOne(7));
        assertThat(threaded.expectationPauli(0b1010, 0b0110)).isEqualTo(serial.expectationPauli(0b1010, 0b0110));
    }

    private static double[] random1(SplittableRandom rng) {
        return StandardGates.u(rng.nextDouble() * 3, rng.nextDouble() * 3, rng.nextDouble() * 3);
    }

    @Test
    void aMeasurementOfADefiniteQubitDoesNotSplitAndResetsCostOneBranchEach() throws Exception {
        // measure then reset of the same qubit: the reset finds a definite state. Terminal measurements are
        // sampled from the two branch states; both outcomes of the mid-circuit bit appear about equally.
        CompiledCircuit c = compile(H + "qubit[3] q; bit[1] m; bit[3] c; h q; m[0] = measure q[0]; reset q[0];"
                + " cx q[1], q[2]; c = measure q;");
        ShotRecord r = CircuitRunner.sample(c, 10_000, NoiseModel.none(), new SplittableRandom(1));
        int ones = 0;
        for (int s = 0; s < r.shots(); s++) {
            assertThat(r.get(s, 1)).as("q[0] after reset").isFalse();
            ones += r.get(s, 0) ? 1 : 0;
        }
        assertThat(ones).isBetween(4750, 5250);
    }

    @Test
    void aRunTimeLoopThatNeverEndsIsStopped() throws Exception {
        CompiledCircuit c = compile(H + "qubit[2] q; bit[1] c; c[0] = measure q[0]; while (c[0] == c[0]) { x q[1]; }");
        assertThatThrownBy(() -> CircuitRunner.sample(c, 10, NoiseModel.none(), new SplittableRandom(1)))
                .isInstanceOf(CircuitRuntimeException.class)
                .hasMessageContaining("more than 10000000 steps in one shot");
    }
}
