package io.kubeqpu.simulator;

/**
 * How long the simulated QPU is busy: {@code overhead + (repDelay + circuitDuration) × executions}.
 * All values in seconds. The circuit duration is the critical path of the circuit scheduled as soon as
 * possible with the per-operation durations below.
 *
 * @param overheadSeconds fixed per-job cost (loading, arming the control electronics)
 * @param repDelaySeconds wait between two shots so the qubits relax (IBM default 250 µs)
 * @param dtSeconds       length of the {@code dt} unit used by {@code delay[100dt]}
 */
public record TimingModel(double overheadSeconds, double repDelaySeconds, double oneQubitGateSeconds,
                          double twoQubitGateSeconds, double measureSeconds, double resetSeconds, double dtSeconds) {

    public TimingModel {
        if (overheadSeconds < 0 || repDelaySeconds < 0 || oneQubitGateSeconds < 0 || twoQubitGateSeconds < 0
                || measureSeconds < 0 || resetSeconds < 0 || dtSeconds < 0) {
            throw new IllegalArgumentException("timing model durations must not be negative");
        }
    }

    /** Figures in the range of a current superconducting QPU (Eagle/Heron class). */
    public static TimingModel defaults() {
        return new TimingModel(2.0, 250e-6, 50e-9, 500e-9, 1.5e-6, 1.5e-6, 2.0 / 9.0 * 1e-9);
    }
}
