package io.kubeqpu.scheduler;

import java.time.Instant;

/**
 * A read-only picture of an instance.
 *
 * @param usageSeconds       usage in the current period, active sessions' wall-clock included
 * @param recentUsageSeconds exponentially decayed usage that fair share divides by the weight, as of {@code asOf}
 * @param closedUsageSeconds usage in the current period without active sessions' open lease intervals
 */
public record InstanceView(
        String name, double usageSeconds, Instant periodStart, double recentUsageSeconds, int queuedJobs, int runningJobs,
        double closedUsageSeconds, Instant asOf) {}
