package io.kubeqpu.config;

import io.kubeqpu.api.v1alpha1.GoDurations;
import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.annotation.Priority;
import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * GoDurations in configuration (the chart's operator.defaultMaxTTL, ...) read as the CRDs read them: Go durations
 * ({@code 1h30m}, {@code 1.5h}, {@code 250us}), and also Quarkus' forms ({@code PT8H}, {@code 3d}). Quarkus alone
 * refuses {@code 1.5h} and {@code 250us}, which the CRDs and the chart's schema accept.
 */
@Priority(300)
public final class GoDurationConverter implements Converter<Duration> {
    private static final DurationConverter QUARKUS = new DurationConverter();

    @Override
    public Duration convert(String value) {
        if (value == null || value.isBlank()) return null;
        String v = value.trim();
        return GoDurations.isValid(v) ? GoDurations.parse(v) : QUARKUS.convert(v);
    }
}
