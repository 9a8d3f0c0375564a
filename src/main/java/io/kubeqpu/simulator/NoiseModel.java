package io.kubeqpu.simulator;

/**
 * Optional noise. Both effects are applied at read-out (see docs/simulator.md):
 *
 * @param readoutError probability that a measured classical bit is flipped, independently per bit and shot
 * @param depolarizing probability that a whole shot's state is replaced by the maximally mixed state
 *                     (global depolarizing channel applied once per circuit execution)
 */
public record NoiseModel(double readoutError, double depolarizing) {

    public NoiseModel {
        if (!(readoutError >= 0 && readoutError <= 0.5) || !(depolarizing >= 0 && depolarizing <= 1)) {
            throw new IllegalArgumentException("readoutError must be in [0, 0.5] and depolarizing in [0, 1]");
        }
    }

    public static NoiseModel none() {
        return new NoiseModel(0, 0);
    }

    public boolean isNoiseless() {
        return readoutError == 0 && depolarizing == 0;
    }
}
