package io.kubeqpu.scheduler;

/** How a workload holds its backend while active. */
public enum LeaseMode {
    /** Session: no other job and no calibration runs on the backend. */
    EXCLUSIVE,
    /** Batch: other jobs may use spare slots; calibration may run between jobs. */
    SHARED
}
