package io.kubeqpu.scheduler;

import java.time.Duration;

/**
 * One QPU as the scheduler sees it.
 *
 * @param parallelism         how many jobs may run on it at once (slots)
 * @param preprocessingLanes  how many jobs may be pre-processed (parsed, compiled) at once, ahead of time
 * @param calibrationInterval time between the end of one calibration and the start of the next; null = never
 * @param calibrationDuration how long a calibration holds the whole QPU
 * @param maxTTL              the cap on any workload's max TTL on this backend
 * @param maxExecutionTime    the cap on any job's max execution time on this backend
 */
public record BackendSpec(
        String name,
        int parallelism,
        int preprocessingLanes,
        Duration calibrationInterval,
        Duration calibrationDuration,
        Duration maxTTL,
        Duration maxExecutionTime) {

    public static final Duration DEFAULT_MAX_TTL = Duration.ofHours(8);
    public static final Duration DEFAULT_MAX_EXECUTION_TIME = Duration.ofHours(3);

    /** A backend with the defaults of DESIGN §3: parallelism 1, 5 lanes, no calibration. */
    public static BackendSpec of(String name) {
        return new BackendSpec(name, 1, 5, null, null, DEFAULT_MAX_TTL, DEFAULT_MAX_EXECUTION_TIME);
    }

    public BackendSpec withParallelism(int slots) {
        return new BackendSpec(name, slots, preprocessingLanes, calibrationInterval, calibrationDuration, maxTTL, maxExecutionTime);
    }

    public BackendSpec withLanes(int lanes) {
        return new BackendSpec(name, parallelism, lanes, calibrationInterval, calibrationDuration, maxTTL, maxExecutionTime);
    }

    public BackendSpec withCalibration(Duration interval, Duration duration) {
        return new BackendSpec(name, parallelism, preprocessingLanes, interval, duration, maxTTL, maxExecutionTime);
    }

    public BackendSpec withLimits(Duration maxTTL, Duration maxExecutionTime) {
        return new BackendSpec(name, parallelism, preprocessingLanes, calibrationInterval, calibrationDuration, maxTTL, maxExecutionTime);
    }

    /** Null when valid, else a message naming what is wrong. */
    String problem() {
        if (name == null || name.isBlank()) return "backend name is empty";
        if (parallelism < 1) return "backend " + name + ": parallelism must be >= 1, got " + parallelism;
        if (preprocessingLanes < 1) return "backend " + name + ": preprocessingLanes must be >= 1, got " + preprocessingLanes;
        if (calibrationInterval != null && !Durations.positive(calibrationInterval))
            return "backend " + name + ": calibration interval must be > 0";
        if (calibrationInterval != null && !Durations.positive(calibrationDuration))
            return "backend " + name + ": calibration duration must be > 0";
        if (!Durations.positive(maxTTL)) return "backend " + name + ": maxTTL must be > 0";
        if (!Durations.positive(maxExecutionTime)) return "backend " + name + ": maxExecutionTime must be > 0";
        return null;
    }
}
