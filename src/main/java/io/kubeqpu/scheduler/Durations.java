package io.kubeqpu.scheduler;

import java.time.Duration;
import java.time.Instant;

/** Small helpers for the scheduler's time arithmetic. */
final class Durations {
    private Durations() {}

    static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    static double seconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }

    static Duration ofSeconds(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }
}
