package io.kubeqpu.bench;

import io.kubeqpu.simulator.BackendProfile;
import io.kubeqpu.simulator.PreparedJob;
import io.kubeqpu.simulator.PrimitiveRequest;
import io.kubeqpu.simulator.PrimitiveResult;
import io.kubeqpu.simulator.Pub;
import io.kubeqpu.simulator.QpuSimulator;
import io.kubeqpu.simulator.engine.ShotSampler;
import io.kubeqpu.simulator.engine.StateVector;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Simulator benchmark (a main, not a test; it never fails a build). Prints:
 * <ol>
 *   <li>this machine's single-thread memory bandwidth (STREAM-like copy and triad);</li>
 *   <li>1-qubit gate throughput at 22–26 qubits as GB/s of state traffic and as a fraction of that bandwidth;</li>
 *   <li>a 20-qubit depth-20 random circuit with 10,000 shots, end to end (parse → compile → simulate → counts);</li>
 *   <li>100,000 shots sampled from a 20-qubit state.</li>
 * </ol>
 * Run: {@code ./mvnw -q test-compile && java -Xmx8g -cp "target/classes:target/test-classes:$(cat target/cp.txt)"
 * io.kubeqpu.bench.SimulatorBench [maxQubits]} (see docs/simulator.md).
 */
public final class SimulatorBench {
    private static final int REPEATS = 5;

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        int maxQubits = args.length > 0 ? Integer.parseInt(args[0]) : 26;
        System.out.printf("java %s, %d cores, max heap %d MiB%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

        double[] stream = memoryBandwidth();
        double bandwidth = Math.max(stream[0], stream[1]);
        System.out.printf("memory bandwidth (1 thread, 256 MiB arrays): copy %.2f GB/s, triad %.2f GB/s%n",
                stream[0], stream[1]);

        for (int n = 22; n <= maxQubits; n += 2) {
            double gbs = oneQubitGateThroughput(n);
            System.out.printf("1-qubit gates, %d qubits (%d MiB state): %.2f GB/s = %.0f %% of memory bandwidth%n",
                    n, (16L << n) >> 20, gbs, 100 * gbs / bandwidth);
        }
        randomCircuitEndToEnd();
        sampling();
    }

    /** Best of {@link #REPEATS}: copy counts 2 × 8 bytes per element, triad 3 × 8. */
    private static double[] memoryBandwidth() {
        int len = 1 << 25; // 256 MiB per array
        double[] a = new double[len];
        double[] b = new double[len];
        double[] c = new double[len];
        java.util.Arrays.fill(b, 1.0);
        java.util.Arrays.fill(c, 2.0);
        double bestCopy = Double.MAX_VALUE;
        double bestTriad = Double.MAX_VALUE;
        for (int r = 0; r < REPEATS + 1; r++) {
            long t0 = System.nanoTime();
            System.arraycopy(b, 0, a, 0, len);
            long t1 = System.nanoTime();
            triad(a, b, c, 3.0);
            long t2 = System.nanoTime();
            if (r > 0) { // first round warms up the JIT and the pages
                bestCopy = Math.min(bestCopy, t1 - t0);
                bestTriad = Math.min(bestTriad, t2 - t1);
            }
        }
        if (a[len / 2] != 7.0) {
            throw new IllegalStateException("triad result wrong");
        }
        return new double[] {16.0 * len / bestCopy, 24.0 * len / bestTriad};
    }

    private static void triad(double[] a, double[] b, double[] c, double s) {
        for (int i = 0; i < a.length; i++) {
            a[i] = b[i] + s * c[i];
        }
    }

    /** One full sweep per gate: reads and writes every amplitude once (2 × 16 × 2^n bytes). */
    private static double oneQubitGateThroughput(int n) {
        StateVector state = new StateVector(n);
        double theta = 0.3;
        double c = Math.cos(theta);
        double s = Math.sin(theta);
        double[] u = {c, 0, -s * 0.6, -s * 0.8, s * 0.6, -s * 0.8, c, 0}; // a generic complex unitary
        for (int q = 0; q < n; q++) {
            state.apply1(q, u); // warm-up
        }
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 3; r++) {
            long t0 = System.nanoTime();
            for (int q = 0; q < n; q++) {
                state.apply1(q, u);
            }
            best = Math.min(best, (System.nanoTime() - t0) / (double) n);
        }
        if (Math.abs(state.norm() - 1) > 1e-6) {
            throw new IllegalStateException("norm drifted: " + state.norm());
        }
        return 2.0 * 16 * (1L << n) / best;
    }

    private static void randomCircuitEndToEnd() throws Exception {
        int n = 20;
        int depth = 20;
        Random rnd = new Random(2024);
        StringBuilder qasm = new StringBuilder("OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[20] q;\nbit[20] c;\n");
        int gates = 0;
        for (int layer = 0; layer < depth; layer++) {
            for (int q = 0; q < n; q++) {
                qasm.append(String.format("u3(%.4f, %.4f, %.4f) q[%d];%n", rnd.nextDouble() * Math.PI,
                        rnd.nextDouble() * 2 * Math.PI, rnd.nextDouble() * 2 * Math.PI, q));
                gates++;
            }
            int offset = layer % 2;
            for (int q = offset; q + 1 < n; q += 2) {
                qasm.append(String.format("cx q[%d], q[%d];%n", q, q + 1));
                gates++;
            }
        }
        qasm.append("c = measure q;\n");
        QpuSimulator sim = new QpuSimulator(BackendProfile.defaults("bench", 27));
        PrimitiveRequest request = PrimitiveRequest.sampler(List.of(Pub.sampler(qasm.toString())), 10_000, 1L);
        for (int warm = 0; warm < 2; warm++) {
            sim.execute(sim.prepare(request), 1L);
        }
        long t0 = System.nanoTime();
        PreparedJob job = sim.prepare(request);
        long t1 = System.nanoTime();
        PrimitiveResult result = sim.execute(job, 1L);
        long t2 = System.nanoTime();
        String json = result.toJson();
        long t3 = System.nanoTime();
        System.out.printf("random circuit 20 qubits, depth 20 (%d gates), 10,000 shots: prepare %.1f ms,"
                        + " execute %.1f ms, result JSON %.1f ms (%d KiB); modelled QPU time %.2f s%n",
                gates, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, json.length() >> 10, job.quantumSeconds());
    }

    private static void sampling() {
        int n = 20;
        SplittableRandom rng = new SplittableRandom(5);
        double[] amp = new double[2 << n];
        double norm = 0;
        for (int i = 0; i < amp.length; i++) {
            amp[i] = rng.nextDouble() - 0.5;
            norm += amp[i] * amp[i];
        }
        for (int i = 0; i < amp.length; i++) {
            amp[i] /= Math.sqrt(norm);
        }
        double best = Double.MAX_VALUE;
        for (int r = 0; r < REPEATS; r++) {
            long t0 = System.nanoTime();
            int[] shots = ShotSampler.sample(amp, 100_000, rng);
            best = Math.min(best, System.nanoTime() - t0);
            if (shots.length != 100_000) {
                throw new IllegalStateException();
            }
        }
        System.out.printf("100,000 shots from a 20-qubit state: %.1f ms%n", best / 1e6);
    }
}
