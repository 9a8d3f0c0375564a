package io.kubeqpu.api.v1alpha1;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;

/**
 * Go-style duration strings, as Kubernetes writes them: {@code 1h30m}, {@code 60s}, {@code 250us},
 * {@code 1.5h}. Units: ns, us (or µs), ms, s, m, h. {@code 0} is zero; no sign.
 */
public final class GoDurations {
    /** Schema pattern of a duration field (ASCII units; CEL's duration() parses every match). */
    public static final String PATTERN = "^(0|([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+)$";

    /**
     * A duration no part of which can overflow CEL's duration() (Go's int64 nanoseconds, ~292 years) within the
     * 32 characters a field allows: hours in up to 5 digits, minutes 7, seconds 9, ms 12, us/ns 15. A CEL rule checks
     * it, with a message naming the field, before any rule calls duration() (which would fail with "rule evaluation
     * error … invalid duration format").
     */
    public static final String BOUNDED = "^(0|([0-9]{1,5}([.][0-9]{1,9})?h|[0-9]{1,7}([.][0-9]{1,9})?m|[0-9]{1,9}([.][0-9]{1,9})?s"
            + "|[0-9]{1,12}([.][0-9]{1,9})?ms|[0-9]{1,15}([.][0-9]{1,9})?(us|ns))+)$";

    /** CEL: {@code self} is a duration within {@link #BOUNDED}. */
    public static final String BOUNDED_RULE = "self.matches('" + BOUNDED + "')";

    /** CEL prefix of a rule that calls duration(self): true (left to {@link #BOUNDED_RULE}) when self is not bounded. */
    public static final String IF_BOUNDED = "!self.matches('" + BOUNDED + "') || ";

    private static final java.util.regex.Pattern WHOLE =
            java.util.regex.Pattern.compile("^(0|([0-9]+(\\.[0-9]+)?(ns|us|µs|μs|ms|s|m|h))+)$");
    private static final java.util.regex.Pattern PART =
            java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|μs|ms|s|m|h)");

    private GoDurations() {
    }

    /**
     * Parses a Go-style duration string.
     *
     * @throws IllegalArgumentException when {@code text} is null or not a duration
     */
    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException("not a duration (e.g. 1h30m, 60s, 250us): " + text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher m = PART.matcher(text);
        while (m.find()) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(nanosPerUnit(m.group(2)))));
        }
        return Duration.ofNanos(nanos.longValueExact());
    }

    /** Parses {@code text}, or returns {@code fallback} when it is null. */
    public static Duration parseOrDefault(String text, Duration fallback) {
        return text == null ? fallback : parse(text);
    }

    /** True when {@code text} is a duration {@link #parse} accepts. */
    public static boolean isValid(String text) {
        return text != null && WHOLE.matcher(text).matches();
    }

    private static long nanosPerUnit(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new IllegalArgumentException("unknown duration unit " + unit);
        };
    }
}
