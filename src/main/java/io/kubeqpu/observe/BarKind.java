package io.kubeqpu.observe;

/** What a bar on a backend's swim lane stands for; the dashboard colours bars by it ({@code cssClass}). */
public enum BarKind {
    /** A session's exclusive lease on the backend. */
    SESSION_LEASE("session-lease"),
    /** A batch's shared lease on the backend. */
    BATCH_LEASE("batch-lease"),
    /** A job in job mode. */
    SINGLE_JOB("single-job"),
    BATCH_JOB("batch-job"),
    SESSION_JOB("session-job"),
    CALIBRATION("calibration");

    private final String cssClass;

    BarKind(String cssClass) {
        this.cssClass = cssClass;
    }

    public String cssClass() {
        return cssClass;
    }

    static BarKind jobIn(WorkMode mode) {
        return switch (mode) {
            case JOB -> SINGLE_JOB;
            case BATCH -> BATCH_JOB;
            case SESSION -> SESSION_JOB;
        };
    }

    /** Bars during which the QPU itself is busy (leases are not: a leased QPU may sit idle between jobs). */
    boolean occupiesQpu() {
        return this != SESSION_LEASE && this != BATCH_LEASE;
    }
}
