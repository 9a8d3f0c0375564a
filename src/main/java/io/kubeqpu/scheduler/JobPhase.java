package io.kubeqpu.scheduler;

/** A job's life: QUEUED, RUNNING, then exactly one terminal phase. */
public enum JobPhase {
    QUEUED,
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
