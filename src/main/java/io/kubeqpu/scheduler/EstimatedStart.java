package io.kubeqpu.scheduler;

import java.time.Instant;

/**
 * {@code status.estimatedStartAt} of queued jobs: {@code now + position × mean job seconds ÷ parallelism}, and never
 * before a running calibration ends. A rough figure by design (like Qiskit Runtime's "estimated start"): it ignores
 * jobs that will jump the queue later (fair share) and calibrations not yet due.
 */
public final class EstimatedStart {
    /** Assumed mean run time before any job finished on the backend. */
    public static final double DEFAULT_MEAN_JOB_SECONDS = 1.0;

    private EstimatedStart() {}

    /**
     * The pure formula.
     *
     * @param position    1-based queue position ({@link QueueSnapshot#position})
     * @param notBefore   when the backend can start anything at all (a running calibration's end), or null
     */
    public static Instant at(Instant now, int position, double meanJobSeconds, int parallelism, Instant notBefore) {
        if (position < 1) throw new IllegalArgumentException("position is 1-based, got " + position);
        double mean = meanJobSeconds > 0 && Double.isFinite(meanJobSeconds) ? meanJobSeconds : DEFAULT_MEAN_JOB_SECONDS;
        double wait = position * mean / Math.max(1, parallelism);
        Instant from = notBefore != null && notBefore.isAfter(now) ? notBefore : now;
        return from.plusNanos(Math.round(wait * 1e9));
    }
}
