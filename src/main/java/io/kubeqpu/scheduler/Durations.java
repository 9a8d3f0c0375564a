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

    /** As users write it in a spec: {@code 3h}, {@code 1h30m}, {@code 90s}, {@code 250ms}. */
    static String text(Duration d) {
        if (d.isZero()) return "0s";
        if (d.toNanos() % 1_000_000_000L != 0 && d.getSeconds() == 0) return d.toMillis() + "ms";
        StringBuilder b = new StringBuilder();
        long h = d.toHours(), m = d.toMinutesPart(), s = d.toSecondsPart();
        if (h > 0) b.append(h).append('h');
        if (m > 0) b.append(m).append('m');
        if (s > 0 || b.length() == 0) b.append(s).append('s');
        return b.toString();
    }
}
