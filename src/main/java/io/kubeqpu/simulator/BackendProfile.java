package io.kubeqpu.simulator;

import java.util.Objects;
import java.util.Set;

/**
 * What the simulated QPU looks like to a job: its width, its native gates and whether circuits must
 * already be written in them (Qiskit Runtime's ISA requirement), timing and noise.
 */
public record BackendProfile(String name, int numQubits, Set<String> basisGates, boolean requireIsa,
                             TimingModel timing, NoiseModel noise) {

    /** IBM Heron-like native gates. Measure, reset, barrier and delay are always allowed. */
    public static final Set<String> HERON_BASIS = Set.of("cz", "id", "rz", "sx", "x", "rx", "rzz");

    public BackendProfile {
        Objects.requireNonNull(name, "name");
        if (numQubits < 1) {
            throw new IllegalArgumentException("numQubits must be positive");
        }
        // Sorted: the same spec must give the same iteration order (and the same pod hash) in every JVM.
        basisGates = basisGates == null ? Set.of() : java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(basisGates));
        timing = timing == null ? TimingModel.defaults() : timing;
        noise = noise == null ? NoiseModel.none() : noise;
    }

    /** A noiseless backend that accepts any supported gate (no ISA requirement). */
    public static BackendProfile defaults(String name, int numQubits) {
        return new BackendProfile(name, numQubits, HERON_BASIS, false, TimingModel.defaults(), NoiseModel.none());
    }
}
