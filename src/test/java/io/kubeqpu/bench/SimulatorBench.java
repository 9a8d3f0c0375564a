package io.kubeqpu.bench;

import io.kubeqpu.simulator.BackendProfile;
import io.kubeqpu.simulator.PreparedJob;
import io.kubeqpu.simulator.PrimitiveRequest;
import io.kubeqpu.simulator.PrimitiveResult;
import io.kubeqpu.simulator.Pub;
import io.kubeqpu.simulator.QpuSimulator;
import io.kubeqpu.simulator.engine.Parallelism;
import io.kubeqpu.simulator.engine.ShotSampler;
import io.kubeqpu.simulator.engine.StateVector;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Simulator benchmark (a main, not a test; it never fails a build). Prints:
 * <ol>
 *   <li>the 1-qubit gate sweep (a generic 2x2 on every target qubit in turn) at 22–26 qubits, on one thread and on
 *       all threads, against an in-place read-modify-write baseline ({@code a[i] = a[i]·s + t} over an array of
 *       the state's size) measured in the same run on the same threads — both count 2 × 16 bytes per amplitude, so
 *       the percentage is simply baseline time / gate time;</li>
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
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("java %s, %d cores, max heap %d MiB%n", Runtime.version(), cores,
                Runtime.getRuntime().maxMemory() >> 20);
        for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
            Parallelism par = Parallelism.of(threads);
            for (int n = 22; n <= maxQubits; n += 2) {
                double rmw = inPlaceBandwidth(n, par);
                double[] gate = oneQubitGateThroughput(n, par);
                System.out.printf("%d thread(s), %d qubits (%d MiB): in-place RMW %.2f GB/s; 1-qubit sweep %.2f GB/s"
                                + " = %.0f %% (target 0: %.2f GB/s, target %d: %.2f GB/s)%n", threads, n,
                        (16L << n) >> 20, rmw, gate[0], 100 * gate[0] / rmw, gate[1], n - 1, gate[2]);
            }
        }
        randomCircuitEndToEnd();
        sampling();
    }

    /** Best of {@link #REPEATS} in-place sweeps {@code a[i] = a[i]·s + t}: 2 × 8 bytes per double. */
    private static double inPlaceBandwidth(int n, Parallelism par) {
        int len = 2 << n;
        double[] a = new double[len];
        java.util.Arrays.fill(a, 1.0);
        double best = Double.MAX_VALUE;
        for (int r = 0; r < REPEATS + 1; r++) {
            long t0 = System.nanoTime();
            par.forRange(len, (from, to) -> {
                for (int i = (int) from; i < to; i++) {
                    a[i] = a[i] * 0.5 + 0.5;
                }
            });
            long t = System.nanoTime() - t0;
            if (r > 0) { // first round warms up the JIT and the pages
                best = Math.min(best, t);
            }
        }
        if (a[len / 2] != 1.0) {
            throw new IllegalStateException("baseline result wrong");
        }
        return 16.0 * len / best;
    }

    /**
     * One full sweep per gate: reads and writes every amplitude once (2 × 16 × 2^n bytes). Returns GB/s averaged
     * over all targets, and for target 0 and target n−1 alone.
     */
    private static double[] oneQubitGateThroughput(int n, Parallelism par) {
        StateVector state = new StateVector(n, par);
        double theta = 0.3;
        double c = Math.cos(theta);
        double s = Math.sin(theta);
        double[] u = {c, 0, -s * 0.6, -s * 0.8, s * 0.6, -s * 0.8, c, 0}; // a generic complex unitary
        for (int q = 0; q < n; q++) {
            state.apply1(q, u); // warm-up
        }
        double best = Double.MAX_VALUE;
        double first = Double.MAX_VALUE;
        double last = Double.MAX_VALUE;
        for (int r = 0; r < 3; r++) {
            long t0 = System.nanoTime();
            for (int q = 0; q < n; q++) {
                long g0 = System.nanoTime();
                state.apply1(q, u);
                long g = System.nanoTime() - g0;
                if (q == 0) {
                    first = Math.min(first, g);
                } else if (q == n - 1) {
                    last = Math.min(last, g);
                }
            }
            best = Math.min(best, (System.nanoTime() - t0) / (double) n);
        }
        if (Math.abs(state.norm() - 1) > 1e-6) {
            throw new IllegalStateException("norm drifted: " + state.norm());
        }
        double bytes = 2.0 * 16 * (1L << n);
        return new double[] {bytes / best, bytes / first, bytes / last};
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
