package io.kubeqpu.scheduler;

import java.time.Duration;
import java.time.Instant;

/**
 * Exponentially decayed usage without touching every instance as time passes.
 *
 * <p>Usage {@code u} charged at time {@code t} is stored as {@code u · 2^((t − epoch)/halfLife)}. All
 * instances decay at the same rate, so comparing stored values compares decayed usage at any instant,
 * and the queue's order only changes when someone is charged. The epoch moves forward (and all stored
 * values are divided by the same factor) before the scale could overflow a double.
 */
final class FairShare {
    private static final double RESCALE_EXPONENT = 400;

    private final double halfLifeSeconds;
    private Instant epoch;

    FairShare(Duration halfLife, Instant epoch) {
        this.halfLifeSeconds = Durations.seconds(halfLife);
        this.epoch = epoch;
    }

    double exponent(Instant t) {
        return Durations.seconds(Duration.between(epoch, t)) / halfLifeSeconds;
    }

    /** Scaled amount to add when {@code seconds} are charged at {@code t}. */
    double scaled(double seconds, Instant t) {
        return seconds * Math.pow(2, exponent(t));
    }

    /** The decayed usage, in seconds, that a stored value means at {@code t}. */
    double decayed(double scaledValue, Instant t) {
        return scaledValue * Math.pow(2, -exponent(t));
    }

    /** True when the epoch must move forward before charging at {@code t}. */
    boolean needsRescale(Instant t) {
        return exponent(t) > RESCALE_EXPONENT;
    }

    /** Moves the epoch to {@code t}; returns the factor every stored value must be multiplied by. */
    double rescaleTo(Instant t) {
        double factor = Math.pow(2, -exponent(t));
        epoch = t;
        return factor;
    }
}
