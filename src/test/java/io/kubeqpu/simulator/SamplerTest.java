package io.kubeqpu.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kubeqpu.simulator.PrimitiveResult.RegisterData;
import io.kubeqpu.simulator.PrimitiveResult.SamplerPubResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private final QpuSimulator sim = new QpuSimulator(BackendProfile.defaults("test", 27));

    static final String BELL3 = """
            OPENQASM 3.0;
            include "stdgates.inc";
            bit[2] c;
            qubit[2] q;
            h q[0];
            cx q[0], q[1];
            c = measure q;
            """;

    static final String BELL2 = """
            OPENQASM 2.0;
            include "qelib1.inc";
            qreg q[2];
            creg c[2];
            h q[0];
            cx q[0],q[1];
            measure q -> c;
            """;

    RegisterData run(String qasm, int shots, long seed, String reg) throws SimulationException {
        PrimitiveResult r = sim.execute(sim.prepare(PrimitiveRequest.sampler(List.of(Pub.sampler(qasm)), shots, seed)), seed);
        return ((SamplerPubResult) r.pubs().get(0)).registers().get(0).get(reg);
    }

    @Test
    void bellStateGivesOnlyCorrelatedOutcomesInEqualShare() throws Exception {
        RegisterData c = run(BELL3, 10_000, 7, "c");
        assertThat(c.counts().keySet()).containsExactlyInAnyOrder("00", "11");
        // Binomial(10000, 0.5): sd 50, so ±250 is 5 sd — a biased or broken sampler fails this.
        assertThat(c.counts().get("00")).isBetween(4750, 5250);
        assertThat(c.samples()).hasSize(10_000).allMatch(s -> s.equals("0x0") || s.equals("0x3"));
    }

    @Test
    void openQasm2AndOpenQasm3VersionsAgreeShotForShot() throws Exception {
        RegisterData v3 = run(BELL3, 2000, 11, "c");
        RegisterData v2 = run(BELL2, 2000, 11, "c");
        assertThat(v2.samples()).isEqualTo(v3.samples());
        assertThat(v2.counts()).isEqualTo(v3.counts());
    }

    @Test
    void ghzStatesOnThreeAndFiveQubits() throws Exception {
        for (int n : new int[] {3, 5}) {
            StringBuilder q = new StringBuilder("OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[" + n + "] q;\nbit[" + n
                    + "] c;\nh q[0];\n");
            for (int i = 1; i < n; i++) {
                q.append("cx q[").append(i - 1).append("], q[").append(i).append("];\n");
            }
            q.append("c = measure q;\n");
            RegisterData c = run(q.toString(), 4000, 3, "c");
            assertThat(c.counts().keySet()).containsExactlyInAnyOrder("0".repeat(n), "1".repeat(n));
            assertThat(c.counts().get("0".repeat(n))).isBetween(1800, 2200);
        }
    }

    @Test
    void countsUseBitstringsWithHighestBitLeftAndSamplesHex() throws Exception {
        RegisterData c = run("""
                OPENQASM 3.0; include "stdgates.inc";
                qubit[3] q; bit[3] c;
                x q[0]; x q[2];
                c = measure q;
                """, 10, 1, "c");
        assertThat(c.counts()).isEqualTo(Map.of("101", 10));
        assertThat(c.samples()).containsOnly("0x5");
    }

    @Test
    void rxSweepFollowsSinSquaredHalfTheta() throws Exception {
        String qasm = """
                OPENQASM 3.0;
                include "stdgates.inc";
                input float[64] theta;
                qubit[1] q;
                bit[1] c;
                rx(theta) q[0];
                c[0] = measure q[0];
                """;
        double[] thetas = {0, Math.PI / 3, Math.PI / 2, 2.0, Math.PI};
        List<List<Double>> values = java.util.Arrays.stream(thetas).mapToObj(t -> List.of(t)).toList();
        int shots = 20_000;
        PrimitiveResult r = sim.execute(sim.prepare(PrimitiveRequest.sampler(
                List.of(Pub.sampler(qasm, values, shots)), shots, 5L)), 5L);
        SamplerPubResult pub = (SamplerPubResult) r.pubs().get(0);
        assertThat(pub.registers()).hasSize(thetas.length);
        for (int i = 0; i < thetas.length; i++) {
            double p = Math.pow(Math.sin(thetas[i] / 2), 2);
            double sd = Math.sqrt(p * (1 - p) / shots);
            double observed = pub.registers().get(i).get("c").counts().getOrDefault("1", 0) / (double) shots;
            assertThat(observed).isCloseTo(p, within(5 * sd + 1e-12));
        }
        assertThat(r.toJsonNode().at("/results/0/metadata/shape/0").asInt()).isEqualTo(thetas.length);
    }

    @Test
    void uniformSuperpositionPassesChiSquare() throws Exception {
        // 4 qubits in |+>: 16 equally likely outcomes. Chi-square with 15 dof: P(X > 37.7) = 0.001.
        RegisterData c = run("""
                OPENQASM 2.0; include "qelib1.inc";
                qreg q[4]; creg c[4];
                h q; measure q -> c;
                """, 16_000, 99, "c");
        assertThat(c.counts()).hasSize(16);
        double chi2 = c.counts().values().stream().mapToDouble(n -> Math.pow(n - 1000, 2) / 1000).sum();
        assertThat(chi2).isLessThan(37.7);
    }

    @Test
    void sameSeedSameSamplesDifferentSeedDifferentSamples() throws Exception {
        assertThat(run(BELL3, 500, 42, "c").samples()).isEqualTo(run(BELL3, 500, 42, "c").samples());
        assertThat(run(BELL3, 500, 42, "c").samples()).isNotEqualTo(run(BELL3, 500, 43, "c").samples());
    }

    @Test
    void namedParameterValuesBindLikePositionalOnes() throws Exception {
        String qasm = """
                OPENQASM 3.0; include "stdgates.inc";
                input float[64] a; input float[64] b;
                qubit[2] q; bit[2] c;
                ry(a) q[0]; ry(b) q[1];
                c = measure q;
                """;
        Pub positional = new Pub(qasm, List.of(List.of(Math.PI, 0.0)), 100, null, null);
        Pub named = new Pub(qasm, null, 100, null, null, Map.of("b", List.of(0.0), "a", List.of(Math.PI)));
        for (Pub p : List.of(positional, named)) {
            PrimitiveResult r = sim.execute(sim.prepare(PrimitiveRequest.sampler(List.of(p), 100, 1L)), 1L);
            assertThat(((SamplerPubResult) r.pubs().get(0)).registers().get(0).get("c").counts())
                    .isEqualTo(Map.of("01", 100));
        }
    }

    @Test
    void userGateWithParametersExpandsAtCompileTime() throws Exception {
        RegisterData c = run("""
                OPENQASM 3.0; include "stdgates.inc";
                gate flip(t) a, b { rx(t) a; cx a, b; }
                gate twice a, b { flip(pi/2 * 2) a, b; }
                qubit[2] q; bit[2] c;
                twice q[0], q[1];
                c = measure q;
                """, 50, 1, "c");
        assertThat(c.counts()).isEqualTo(Map.of("11", 50));
    }

    @Test
    void midCircuitMeasurementAndConditionRunPerShot() throws Exception {
        // Teleport-like feed-forward: measure a |+> qubit, copy the result with a conditional X.
        RegisterData c = run("""
                OPENQASM 3.0; include "stdgates.inc";
                qubit[2] q; bit[2] c;
                h q[0];
                c[0] = measure q[0];
                if (c[0] == 1) x q[1];
                c[1] = measure q[1];
                """, 4000, 8, "c");
        assertThat(c.counts().keySet()).containsExactlyInAnyOrder("00", "11");
        assertThat(c.counts().get("11")).isBetween(1800, 2200);
    }

    @Test
    void resetReturnsAUsedQubitToZeroAndRegisterConditionsCompareTheWholeValue() throws Exception {
        RegisterData c = run("""
                OPENQASM 2.0; include "qelib1.inc";
                qreg q[2]; creg c[2];
                x q[0]; x q[1];
                measure q -> c;
                reset q[0];
                if (c == 3) x q[1];
                measure q[0] -> c[0];
                measure q[1] -> c[1];
                """, 100, 2, "c");
        assertThat(c.counts()).isEqualTo(Map.of("00", 100));
    }

    @Test
    void physicalQubitsOnlyTheTouchedOnesAreSimulated() throws Exception {
        // The 127-qubit width would be 2^127 amplitudes; two touched qubits make it a 4-amplitude state.
        QpuSimulator wide = new QpuSimulator(BackendProfile.defaults("eagle", 127));
        PrimitiveResult r = wide.execute(wide.prepare(PrimitiveRequest.sampler(List.of(Pub.sampler("""
                OPENQASM 3.0;
                bit[2] meas;
                x $3;
                sx $120; sx $120;
                barrier $3, $120;
                delay[100ns] $3;
                meas[0] = measure $3;
                meas[1] = measure $120;
                """)), 64, 1L)), 1L);
        assertThat(((SamplerPubResult) r.pubs().get(0)).registers().get(0).get("meas").counts())
                .isEqualTo(Map.of("11", 64));
    }

    @Test
    void readoutNoiseFlipsBitsAtTheConfiguredRate() throws Exception {
        BackendProfile noisy = new BackendProfile("noisy", 5, Set(), false, TimingModel.defaults(), new NoiseModel(0.1, 0));
        QpuSimulator s = new QpuSimulator(noisy);
        PrimitiveResult r = s.execute(s.prepare(PrimitiveRequest.sampler(List.of(Pub.sampler(
                "OPENQASM 2.0; include \"qelib1.inc\"; qreg q[1]; creg c[1]; measure q -> c;")), 20_000, 3L)), 3L);
        int ones = ((SamplerPubResult) r.pubs().get(0)).registers().get(0).get("c").counts().getOrDefault("1", 0);
        assertThat(ones / 20_000.0).isCloseTo(0.1, within(5 * Math.sqrt(0.09 / 20_000)));
    }

    @Test
    void depolarizingNoiseMixesInUniformOutcomes() throws Exception {
        BackendProfile noisy = new BackendProfile("noisy", 5, Set(), false, TimingModel.defaults(), new NoiseModel(0, 0.4));
        QpuSimulator s = new QpuSimulator(noisy);
        PrimitiveResult r = s.execute(s.prepare(PrimitiveRequest.sampler(List.of(Pub.sampler(BELL3)), 20_000, 3L)), 3L);
        Map<String, Integer> counts = ((SamplerPubResult) r.pubs().get(0)).registers().get(0).get("c").counts();
        // 0.4 of the shots are uniform over 4 outcomes: P(01) = 0.1.
        assertThat(counts.getOrDefault("01", 0) / 20_000.0).isCloseTo(0.1, within(5 * Math.sqrt(0.09 / 20_000)));
    }

    private static java.util.Set<String> Set() {
        return java.util.Set.of();
    }
}
