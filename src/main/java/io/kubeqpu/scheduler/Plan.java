package io.kubeqpu.scheduler;

/** An instance's plan. Only {@code OPEN} matters to scheduling: it may not run sessions. */
public enum Plan {
    OPEN,
    PAYG,
    PREMIUM
}
