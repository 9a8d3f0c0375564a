package io.kubeqpu.scheduler;

/** The two multi-job execution modes. Single jobs have no workload. */
public enum WorkloadKind {
    BATCH,
    SESSION;

    /** A session owns its backend; a batch lets other jobs use spare slots and calibration run. */
    public LeaseMode leaseMode() {
        return this == SESSION ? LeaseMode.EXCLUSIVE : LeaseMode.SHARED;
    }
}
