package io.kubeqpu.simulator.engine;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws basis-state indices from |ψ|² for all shots in one pass over the state: the uniforms are sorted,
 * the cumulative distribution is walked once, and each shot then finds its outcome by binary search so
 * the samples keep their random order (Qiskit's {@code memory} is per shot). Cost O(2^n + s log s) with no
 * table of size 2^n.
 */
public final class ShotSampler {
    private ShotSampler() {
    }

    public static int[] sample(double[] amplitudes, int shots, SplittableRandom rng) {
        int dim = amplitudes.length / 2;
        double total = 0;
        for (double v : amplitudes) {
            total += v * v;
        }
        double[] u = new double[shots];
        for (int s = 0; s < shots; s++) {
            u[s] = rng.nextDouble() * total;
        }
        double[] sorted = u.clone();
        Arrays.sort(sorted);
        int[] sortedOutcome = new int[shots];
        double cumulative = 0;
        int i = -1;
        int lastNonZero = 0;
        for (int s = 0; s < shots; s++) {
            while (cumulative <= sorted[s] && i < dim - 1) {
                i++;
                double p = amplitudes[2 * i] * amplitudes[2 * i] + amplitudes[2 * i + 1] * amplitudes[2 * i + 1];
                cumulative += p;
                if (p > 0) {
                    lastNonZero = i;
                }
            }
            // Rounding can leave the last uniform just past the cumulative sum: use the last possible outcome.
            sortedOutcome[s] = cumulative > sorted[s] ? i : lastNonZero;
        }
        int[] outcome = new int[shots];
        for (int s = 0; s < shots; s++) {
            outcome[s] = sortedOutcome[Arrays.binarySearch(sorted, u[s])];
        }
        return outcome;
    }
}
