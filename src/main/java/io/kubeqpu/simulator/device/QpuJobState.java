package io.kubeqpu.simulator.device;

/** Lifecycle of a job on a QPU device. */
public enum QpuJobState {
    /** Classical pre-processing running in a prepare lane. */
    PREPARING,
    /** Pre-processed; waits for {@code start}. */
    PREPARED,
    /** Started; waits for a free slot (FIFO). */
    WAITING,
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED;

    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
