package io.kubeqpu.scheduler;

import java.time.Duration;
import java.util.Set;

/**
 * A tenant's account.
 *
 * @param usageLimitSeconds quantum seconds allowed per {@code usagePeriod}; null = unlimited
 * @param weight            fair-share weight: an instance's recent usage is divided by it
 * @param allowedBackends   backends its jobs may use; empty = all
 */
public record InstanceSpec(
        String name, Plan plan, Double usageLimitSeconds, Duration usagePeriod, double weight, Set<String> allowedBackends) {

    public static final Duration DEFAULT_USAGE_PERIOD = Duration.ofDays(30);

    public static InstanceSpec of(String name, Plan plan) {
        return new InstanceSpec(name, plan, null, DEFAULT_USAGE_PERIOD, 1.0, Set.of());
    }

    public InstanceSpec withWeight(double w) {
        return new InstanceSpec(name, plan, usageLimitSeconds, usagePeriod, w, allowedBackends);
    }

    public InstanceSpec withUsageLimit(Double seconds) {
        return new InstanceSpec(name, plan, seconds, usagePeriod, weight, allowedBackends);
    }

    public InstanceSpec withAllowedBackends(Set<String> backends) {
        return new InstanceSpec(name, plan, usageLimitSeconds, usagePeriod, weight, backends);
    }

    boolean allows(String backend) {
        return allowedBackends == null || allowedBackends.isEmpty() || allowedBackends.contains(backend);
    }

    String problem() {
        if (name == null || name.isBlank()) return "instance name is empty";
        if (plan == null) return "instance " + name + ": plan is required";
        if (!(weight > 0) || Double.isInfinite(weight)) return "instance " + name + ": weight must be > 0, got " + weight;
        if (usageLimitSeconds != null && (usageLimitSeconds < 0 || usageLimitSeconds.isNaN()))
            return "instance " + name + ": usageLimitSeconds must be >= 0";
        if (!Durations.positive(usagePeriod)) return "instance " + name + ": usagePeriod must be > 0";
        return null;
    }
}
