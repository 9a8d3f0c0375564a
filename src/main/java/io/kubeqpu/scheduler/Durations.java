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

    /** A duration as Kubernetes users write it: {@code 12s}, {@code 1h30m}, {@code 500ms} (not {@code PT12S}). */
    static String format(Duration d) {
        if (d == null) return null;
        if (d.isZero()) return "0s";
        StringBuilder b = new StringBuilder();
        long h = d.toHours(), m = d.toMinutesPart(), sec = d.toSecondsPart();
        int nanos = d.toNanosPart();
        if (h > 0) b.append(h).append('h');
        if (m > 0) b.append(m).append('m');
        if (h == 0 && m == 0 && sec == 0 && nanos > 0) {
            if (nanos % 1_000_000 == 0) return b.append(nanos / 1_000_000).append("ms").toString();
            return b.append(nanos / 1000.0).append("us").toString().replace(".0us", "us");
        }
        if (sec > 0 || nanos > 0) {
            b.append(sec);
            if (nanos > 0) b.append('.').append(String.format("%09d", nanos).replaceAll("0+$", ""));
            b.append('s');
        }
        return b.toString();
    }
}
