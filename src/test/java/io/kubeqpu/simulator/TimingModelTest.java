package io.kubeqpu.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimingModelTest {
    /** Round numbers so the expected figures can be worked out by hand. */
    private static final TimingModel T = new TimingModel(1.0, 250e-6, 1e-6, 10e-6, 100e-6, 50e-6, 1e-9);
    private final QpuSimulator sim = new QpuSimulator(new BackendProfile("t", 5, null, false, T, null));

    @Test
    void samplerUsageIsOverheadPlusRepDelayAndCriticalPathTimesShots() throws Exception {
        // critical path: h (1µs) → cx (10µs) → measure (100µs) = 111µs; q1's measure runs in parallel.
        PreparedJob job = sim.prepare(PrimitiveRequest.sampler(List.of(Pub.sampler(SamplerTest.BELL3)), 1000, 1L));
        double expected = 1.0 + (250e-6 + 111e-6) * 1000;
        assertThat(job.quantumSeconds()).isCloseTo(expected, within(1e-9));
        assertThat(sim.quantumTime(job)).isEqualTo(Duration.ofNanos(Math.round(expected * 1e9)));
        assertThat(job.executions()).isEqualTo(1000);
        assertThat(sim.execute(job, 1).quantumSeconds()).isEqualTo(job.quantumSeconds());
    }

    @Test
    void parameterSetsMultiplyExecutionsAndPubsAdd() throws Exception {
        String qasm = "OPENQASM 3.0; include \"stdgates.inc\"; input float[64] t; qubit[1] q; bit[1] c;"
                + " rx(t) q[0]; c[0] = measure q[0];";
        Pub sweep = Pub.sampler(qasm, List.of(List.of(0.1), List.of(0.2), List.of(0.3)), 200);
        PreparedJob job = sim.prepare(PrimitiveRequest.sampler(List.of(sweep, Pub.sampler(SamplerTest.BELL3)), 100, 1L));
        double circuitOne = 1e-6 + 100e-6;
        double expected = 1.0 + (250e-6 + circuitOne) * 600 + (250e-6 + 111e-6) * 100;
        assertThat(job.quantumSeconds()).isCloseTo(expected, within(1e-9));
        assertThat(job.executions()).isEqualTo(700);
    }

    @Test
    void barriersDelaysAndResetsShapeTheCriticalPath() throws Exception {
        String qasm = "OPENQASM 3.0; include \"stdgates.inc\"; qubit[2] q; bit[1] c;"
                + " x q[0]; delay[20us] q[1]; barrier q; reset q[0]; delay[1000dt] q[0]; c[0] = measure q[0];";
        PreparedJob job = sim.prepare(PrimitiveRequest.sampler(List.of(Pub.sampler(qasm)), 10, 1L));
        double circuit = 20e-6 + 50e-6 + 1000e-9 + 100e-6; // barrier waits for the 20µs delay
        assertThat(job.quantumSeconds()).isCloseTo(1.0 + (250e-6 + circuit) * 10, within(1e-12));
    }

    @Test
    void estimatorShotsComeFromPrecisionAndMeasurementBases() throws Exception {
        String bell = "OPENQASM 3.0; include \"stdgates.inc\"; qubit[2] q; h q[0]; cx q[0], q[1];";
        // ZZ and ZI commute qubit-wise (one basis); XX needs a second one.
        Pub pub = Pub.estimator(bell, List.of(Map.of("ZZ", 1.0, "ZI", 1.0), Map.of("XX", 1.0)));
        PreparedJob job = sim.prepare(PrimitiveRequest.estimator(List.of(pub), 0.02, 1L));
        int shots = 2500; // 1 / 0.02²
        double circuit = 1e-6 + 10e-6 + 1e-6 + 100e-6; // + basis change and read-out
        assertThat(job.executions()).isEqualTo(2L * shots);
        assertThat(job.quantumSeconds()).isCloseTo(1.0 + (250e-6 + circuit) * 2 * shots, within(1e-9));
    }

    @Test
    void defaultsLookLikeAnIbmDevice() {
        assertThat(TimingModel.defaults().repDelaySeconds()).isEqualTo(250e-6);
        assertThat(PrimitiveRequest.DEFAULT_PRECISION).isEqualTo(0.015625);
    }
}
