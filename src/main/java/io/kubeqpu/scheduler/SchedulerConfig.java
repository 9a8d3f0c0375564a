package io.kubeqpu.scheduler;

import java.time.Duration;

/**
 * Scheduler-wide defaults (DESIGN §3), each bounded by a backend's own limits.
 *
 * @param fairShareHalfLife how fast past usage stops counting against an instance in the normal queue
 */
public record SchedulerConfig(
        Duration defaultMaxTTL,
        Duration defaultInteractiveTTL,
        Duration defaultMaxExecutionTime,
        Duration fairShareHalfLife) {

    public static SchedulerConfig defaults() {
        return new SchedulerConfig(Duration.ofHours(8), Duration.ofSeconds(60), Duration.ofHours(3), Duration.ofHours(1));
    }
}
