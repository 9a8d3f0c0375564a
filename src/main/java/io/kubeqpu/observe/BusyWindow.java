package io.kubeqpu.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * When one QPU was busy (running a job or calibrating): the total since tracking began, and the fraction of the
 * last {@code window}. Busy state only changes through decisions, so updating it on every decision batch is exact.
 */
final class BusyWindow {
    private final Duration window;
    private final Instant trackedSince;
    /** Finished busy stretches that may still overlap the window, oldest first. */
    private final Deque<Instant[]> stretches = new ArrayDeque<>();
    private Instant busySince;
    private double closedSeconds;

    BusyWindow(Duration window, Instant now) {
        this.window = window;
        this.trackedSince = now;
    }

    synchronized void update(boolean busy, Instant now) {
        if (busy && busySince == null) {
            busySince = now;
        } else if (!busy && busySince != null) {
            closedSeconds += seconds(busySince, now);
            stretches.addLast(new Instant[] {busySince, now});
            busySince = null;
        }
        Instant cutoff = now.minus(window);
        while (!stretches.isEmpty() && stretches.peekFirst()[1].isBefore(cutoff)) stretches.removeFirst();
    }

    /** Busy seconds since tracking began, the running stretch included. */
    synchronized double totalSeconds(Instant now) {
        return closedSeconds + (busySince == null ? 0 : seconds(busySince, now));
    }

    /** Busy fraction of the last window (of the time tracked, when that is shorter). */
    synchronized double ratio(Instant now) {
        Instant from = now.minus(window);
        if (from.isBefore(trackedSince)) from = trackedSince;
        double span = seconds(from, now);
        if (span <= 0) return busySince == null ? 0 : 1;
        double busy = 0;
        for (Instant[] s : stretches) busy += overlap(s[0], s[1], from, now);
        if (busySince != null) busy += overlap(busySince, now, from, now);
        return Math.min(1, busy / span);
    }

    private static double overlap(Instant a, Instant b, Instant from, Instant to) {
        Instant s = a.isAfter(from) ? a : from;
        Instant e = b.isBefore(to) ? b : to;
        return e.isAfter(s) ? seconds(s, e) : 0;
    }

    private static double seconds(Instant a, Instant b) {
        return Duration.between(a, b).toNanos() / 1e9;
    }
}
