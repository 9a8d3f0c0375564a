package io.kubeqpu.simulator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShotSamplerTest {

    @Test
    void frequenciesFollowTheBornRuleChiSquare() {
        // Amplitudes with probabilities 0.1, 0.2, 0.3, 0.4 (and a zero one that must never appear).
        double[] p = {0.1, 0.2, 0.0, 0.3, 0.4};
        double[] amp = new double[2 * 8];
        for (int i = 0; i < p.length; i++) {
            amp[2 * i + (i % 2)] = Math.sqrt(p[i]); // mix real and imaginary amplitudes
        }
        int shots = 50_000;
        int[] counts = new int[8];
        for (int o : ShotSampler.sample(amp, shots, new SplittableRandom(17))) {
            counts[o]++;
        }
        assertThat(counts[2]).isZero();
        assertThat(counts[5] + counts[6] + counts[7]).isZero();
        double chi2 = 0;
        for (int i : new int[] {0, 1, 3, 4}) {
            double expected = p[i] * shots;
            chi2 += Math.pow(counts[i] - expected, 2) / expected;
        }
        assertThat(chi2).isLessThan(16.27); // 3 dof, p = 0.001
    }

    @Test
    void samplesAreNotSortedButInShotOrder() {
        double[] amp = {Math.sqrt(0.5), 0, Math.sqrt(0.5), 0};
        int[] s = ShotSampler.sample(amp, 1000, new SplittableRandom(1));
        int changes = 0;
        for (int i = 1; i < s.length; i++) {
            changes += s[i] != s[i - 1] ? 1 : 0;
        }
        assertThat(changes).isGreaterThan(400); // ~500 for independent fair coins; 1 if sorted
    }
}
