package io.kubeqpu.scheduler;

import java.time.Duration;
import java.time.Instant;

/** The scheduler's record of one instance: its spec, its usage in the current period, its fair-share usage. */
final class InstanceState {
    InstanceSpec spec;
    /** Usage in the period starting at {@link #periodStart}; periods are aligned on the epoch so restarts agree. */
    double periodUsage;
    Instant periodStart;
    /** Recent usage, exponentially decayed, kept in {@link FairShare}'s scaled units. */
    double scaledRecentUsage;
    int queued;
    int running;
    /** Its QuantumInstance was deleted: it takes no new job; jobs still running finish and are charged here. */
    boolean deleted;

    InstanceState(InstanceSpec spec, Instant now) {
        this.spec = spec;
        this.periodStart = periodStartFor(now);
    }

    Instant periodStartFor(Instant now) {
        long period = spec.usagePeriod().toMillis();
        long start = Math.floorDiv(now.toEpochMilli(), period) * period;
        return Instant.ofEpochMilli(start);
    }

    /** Starts a new period, with zero usage, once the current one is over. */
    void rollPeriod(Instant now) {
        Instant start = periodStartFor(now);
        if (!start.equals(periodStart)) {
            periodStart = start;
            periodUsage = 0;
        }
    }

    Double limit() {
        return spec.usageLimitSeconds();
    }

    /** Quantum seconds left in this period, after {@code extra} seconds not yet charged; infinite when unlimited. */
    double remaining(Instant now, double extra) {
        rollPeriod(now);
        Double limit = limit();
        return limit == null ? Double.POSITIVE_INFINITY : limit - periodUsage - extra;
    }

    Duration period() {
        return spec.usagePeriod();
    }
}
