package io.kubeqpu.scheduler;

import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Deadlines, earliest first. A timer only says "look at this object then": when it fires the scheduler
 * checks the object's current deadline, so timers made stale by later changes cost nothing but a look.
 */
final class Timers {
    enum Kind { JOB_MAX_EXECUTION, JOB_USAGE_LIMIT, JOB_PREPARE, WORKLOAD_MAX_TTL, WORKLOAD_INTERACTIVE, CALIBRATION_DUE, CALIBRATION_END }

    record Timer(Instant at, long seq, Kind kind, String target) {}

    private final PriorityQueue<Timer> queue =
            new PriorityQueue<>(Comparator.comparing(Timer::at).thenComparingLong(Timer::seq));
    private long seq;

    void add(Instant at, Kind kind, String target) {
        if (at != null) queue.add(new Timer(at, seq++, kind, target));
    }

    Timer peek() {
        return queue.peek();
    }

    Timer poll() {
        return queue.poll();
    }

    int size() {
        return queue.size();
    }

    /** Drops the timers {@code live} refuses (stale ones of objects that ended or were deleted). */
    void retain(java.util.function.Predicate<Timer> live) {
        queue.removeIf(live.negate());
    }
}
