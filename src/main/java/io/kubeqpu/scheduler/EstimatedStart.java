package io.kubeqpu.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

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
     * @param position    1-based queue position ({@code Scheduler.queuePositions})
     * @param notBefore   when the backend can start anything at all (a running calibration's end), or null
     */
    public static Instant at(Instant now, int position, double meanJobSeconds, int parallelism, Instant notBefore) {
        if (position < 1) throw new IllegalArgumentException("position is 1-based, got " + position);
        double mean = meanJobSeconds > 0 && Double.isFinite(meanJobSeconds) ? meanJobSeconds : DEFAULT_MEAN_JOB_SECONDS;
        double wait = position * mean / Math.max(1, parallelism);
        Instant from = notBefore != null && notBefore.isAfter(now) ? notBefore : now;
        return from.plusNanos(Math.round(wait * 1e9));
    }

    /** Estimates for a whole queue at once (positions as {@code Scheduler.queuePositions} gives them). */
    public static Map<String, Instant> forQueue(Instant now, Map<String, Integer> positions, double meanJobSeconds,
                                               int parallelism, Instant notBefore) {
        Map<String, Instant> out = new LinkedHashMap<>();
        positions.forEach((job, p) -> out.put(job, at(now, p, meanJobSeconds, parallelism, notBefore)));
        return out;
    }

    /**
     * Mean wall-clock run time of the backend's finished jobs among {@code jobs}: wall-clock, not quantum seconds,
     * because the queue drains at wall-clock speed (the simulator's time scale makes the two differ).
     */
    public static double meanRunSeconds(Collection<JobView> jobs, String backend) {
        double sum = 0;
        int n = 0;
        for (JobView j : jobs) {
            if (j.phase() != JobPhase.COMPLETED || j.startedAt() == null || j.completedAt() == null) continue;
            if (!backend.equals(j.backend())) continue;
            sum += Duration.between(j.startedAt(), j.completedAt()).toNanos() / 1e9;
            n++;
        }
        return n == 0 ? DEFAULT_MEAN_JOB_SECONDS : Math.max(sum / n, 1e-3);
    }

    /** Everything read from the scheduler's views: what a status writer calls once per backend. */
    public static Map<String, Instant> forBackend(Scheduler scheduler, String backend, Instant now) {
        BackendSpec spec = scheduler.backendSpec(backend);
        if (spec == null) return Map.of();
        Instant calibrationEnd = scheduler.backend(backend).filter(BackendView::calibrating)
                .map(BackendView::calibratingUntil).orElse(null);
        return forQueue(now, scheduler.queuePositions(backend), scheduler.meanRunSeconds(backend),
                spec.parallelism(), calibrationEnd);
    }
}
