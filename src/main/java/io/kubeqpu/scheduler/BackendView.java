package io.kubeqpu.scheduler;

import java.time.Instant;

/** A read-only picture of a backend. {@code queueLength} counts every queued job that will run on it. */
public record BackendView(
        String name,
        boolean up,
        String leaseHolder,
        LeaseMode leaseMode,
        int queueLength,
        int runningJobs,
        boolean calibrating,
        Instant calibratingUntil,
        Instant nextCalibrationAt,
        Instant lastCalibrationAt) {}
