package io.kubeqpu.scheduler;

/** A batch's or session's life (DESIGN §2): Pending → Active ⇄ Inactive → a terminal phase. */
public enum WorkloadPhase {
    PENDING,
    ACTIVE,
    INACTIVE,
    CLOSED,
    EXPIRED,
    CANCELLED,
    REJECTED;

    public boolean isTerminal() {
        return this == CLOSED || this == EXPIRED || this == CANCELLED || this == REJECTED;
    }
}
