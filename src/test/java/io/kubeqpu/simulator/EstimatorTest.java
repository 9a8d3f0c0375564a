package io.kubeqpu.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kubeqpu.simulator.PrimitiveResult.EstimatorPubResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EstimatorTest {
    private final QpuSimulator sim = new QpuSimulator(BackendProfile.defaults("test", 5));

    private EstimatorPubResult estimate(Pub pub, double precision, long seed) throws SimulationException {
        PrimitiveResult r = sim.execute(sim.prepare(PrimitiveRequest.estimator(List.of(pub), precision, seed)), seed);
        return (EstimatorPubResult) r.pubs().get(0);
    }

    @Test
    void bellStateHasPerfectZzAndXxCorrelationAndNoSingleQubitPolarisation() throws Exception {
        Pub pub = Pub.estimator(SamplerTest.BELL3, List.of(Map.of("ZZ", 1.0), Map.of("XX", 1.0), Map.of("YY", 1.0),
                Map.of("ZI", 1.0), Map.of("ZZ", 1.0, "XI", 0.5)));
        EstimatorPubResult r = estimate(pub, 1e-6, 1);
        assertThat(r.evs()[0]).containsExactly(new double[] {1, 1, -1, 0, 1}, within(1e-5));
        assertThat(r.stds()[0]).containsOnly(1e-6);
    }

    @Test
    void plusStateHasUnitXExpectation() throws Exception {
        String plus = "OPENQASM 3.0; include \"stdgates.inc\"; qubit[1] q; h q[0];";
        EstimatorPubResult r = estimate(Pub.estimator(plus, List.of(Map.of("X", 1.0), Map.of("Z", 1.0))), 1e-6, 2);
        assertThat(r.evs()[0][0]).isCloseTo(1, within(1e-5));
        assertThat(r.evs()[0][1]).isCloseTo(0, within(1e-5));
    }

    @Test
    void ryRotationGivesCosThetaForEveryParameterSet() throws Exception {
        String qasm = """
                OPENQASM 3.0; include "stdgates.inc";
                input float[64] theta;
                qubit[1] q;
                ry(theta) q[0];
                """;
        double[] thetas = {0, 0.4, Math.PI / 2, 2.5, Math.PI};
        Pub pub = new Pub(qasm, java.util.Arrays.stream(thetas).mapToObj(t -> List.of(t)).toList(), null,
                List.of(Map.of("Z", 1.0), Map.of("X", 1.0)), null);
        EstimatorPubResult r = estimate(pub, 1e-6, 3);
        assertThat(r.evs()).hasDimensions(thetas.length, 2);
        for (int i = 0; i < thetas.length; i++) {
            assertThat(r.evs()[i][0]).isCloseTo(Math.cos(thetas[i]), within(1e-5));
            assertThat(r.evs()[i][1]).isCloseTo(Math.sin(thetas[i]), within(1e-5));
        }
    }

    @Test
    void shotNoiseHasTheRequestedStandardDeviation() throws Exception {
        // 400 parameter sets of the same state: the spread of the estimates must match the precision.
        String qasm = "OPENQASM 3.0; include \"stdgates.inc\"; input float[64] t; qubit[1] q; ry(t) q[0];";
        List<List<Double>> sets = java.util.Collections.nCopies(400, List.of(Math.PI / 3));
        EstimatorPubResult r = estimate(new Pub(qasm, sets, null, List.of(Map.of("Z", 1.0)), 0.05), 0.05, 4);
        double mean = 0;
        for (double[] e : r.evs()) {
            mean += e[0] / 400;
        }
        double var = 0;
        for (double[] e : r.evs()) {
            var += Math.pow(e[0] - mean, 2) / 399;
        }
        assertThat(mean).isCloseTo(0.5, within(5 * 0.05 / Math.sqrt(400)));
        assertThat(Math.sqrt(var)).isBetween(0.05 * 0.85, 0.05 * 1.15);
        assertThat(r.shots()).isEqualTo(400); // 1 / 0.05²
    }

    @Test
    void untouchedQubitsAreInZero() throws Exception {
        String qasm = "OPENQASM 3.0; include \"stdgates.inc\"; qubit[3] q; x q[1];";
        EstimatorPubResult r = estimate(Pub.estimator(qasm,
                List.of(Map.of("ZZZ", 1.0), Map.of("XII", 1.0), Map.of("IZI", 2.0))), 1e-6, 5);
        assertThat(r.evs()[0]).containsExactly(new double[] {-1, 0, -2}, within(1e-5));
    }

    @Test
    void noiseScalesExpectationsAnalytically() throws Exception {
        QpuSimulator noisy = new QpuSimulator(new BackendProfile("noisy", 2, null, false, null, new NoiseModel(0.05, 0.2)));
        PrimitiveResult r = noisy.execute(noisy.prepare(PrimitiveRequest.estimator(List.of(
                Pub.estimator(SamplerTest.BELL3, List.of(Map.of("ZZ", 1.0)))), 1e-6, 1L)), 1L);
        double expected = (1 - 0.2) * Math.pow(1 - 2 * 0.05, 2);
        assertThat(((EstimatorPubResult) r.pubs().get(0)).evs()[0][0]).isCloseTo(expected, within(1e-5));
    }

    @Test
    void qftOfABasisStateHasUniformMagnitudesAndLinearPhases() throws Exception {
        // QFT|x> = 1/sqrt(N) sum_k e^{2 pi i x k / N} |k>. With x = 1 on 3 qubits, <X> and <Y> of the qubit
        // carrying the finest phase give cos/sin of 2 pi x / 2^j for each qubit j (product state).
        String qft = """
                OPENQASM 3.0; include "stdgates.inc";
                qubit[3] q;
                x q[0];
                h q[2];
                cp(pi/2) q[1], q[2];
                cp(pi/4) q[0], q[2];
                h q[1];
                cp(pi/2) q[0], q[1];
                h q[0];
                swap q[0], q[2];
                """;
        EstimatorPubResult r = estimate(Pub.estimator(qft, List.of(
                Map.of("IIX", 1.0), Map.of("IIY", 1.0), Map.of("IXI", 1.0), Map.of("IYI", 1.0),
                Map.of("XII", 1.0), Map.of("YII", 1.0), Map.of("ZZZ", 1.0))), 1e-7, 6);
        double[] e = r.evs()[0];
        for (int j = 0; j < 3; j++) {
            double phase = 2 * Math.PI * (1 << j) / 8.0; // qubit j gets e^{2 pi i x 2^j / 8}
            assertThat(e[2 * j]).as("<X_%d>", j).isCloseTo(Math.cos(phase), within(1e-5));
            assertThat(e[2 * j + 1]).as("<Y_%d>", j).isCloseTo(Math.sin(phase), within(1e-5));
        }
        assertThat(e[6]).isCloseTo(0, within(1e-5)); // uniform magnitudes: Z parity averages out
    }
}
