package io.kubeqpu.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that only moves when told: hours of TTL behaviour in milliseconds. */
public final class VirtualClock extends Clock {
    private Instant now;

    public VirtualClock(Instant start) {
        this.now = start;
    }

    public VirtualClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public void set(Instant t) {
        if (t.isBefore(now)) throw new IllegalArgumentException("time does not go back: " + t + " < " + now);
        now = t;
    }

    public void advance(Duration d) {
        set(now.plus(d));
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
