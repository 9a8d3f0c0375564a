package io.kubeqpu.simulator;

/** The two Qiskit Runtime V2 primitives. */
public enum Primitive {
    SAMPLER,
    ESTIMATOR
}
