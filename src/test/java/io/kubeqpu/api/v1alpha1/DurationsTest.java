package io.kubeqpu.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "1h30m, PT1H30M",
        "60s, PT60S",
        "250us, PT0.00025S",
        "250µs, PT0.00025S",
        "500ns, PT0.0000005S",
        "1.5h, PT1H30M",
        "8h, PT8H",
        "720h, PT720H",
        "2m, PT2M",
        "1m30s, PT1M30S",
        "100ms, PT0.1S",
        "0, PT0S",
        "0s, PT0S",
        "1h0m0.5s, PT1H0.5S"
    })
    void parsesGoStyleDurations(String text, String iso) {
        assertThat(GoDurations.parse(text)).isEqualTo(Duration.parse(iso));
        assertThat(GoDurations.isValid(text)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"1d", "h", "1", "-1s", "+1s", "1.s", ".5s", "1h 30m", "1H", "3 h", "1hh"})
    void rejectsTheRest(String text) {
        assertThat(GoDurations.isValid(text)).isFalse();
        assertThatThrownBy(() -> GoDurations.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1h30m", "60s", "250us", "1.5h", "0", "500ns", "100ms"})
    void schemaPatternAcceptsWhatTheParserAccepts(String text) {
        assertThat(text).matches(GoDurations.PATTERN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1d", "-1s", "1h 30m", "", "1"})
    void schemaPatternRejectsWhatTheParserRejects(String text) {
        assertThat(java.util.regex.Pattern.compile(GoDurations.PATTERN).matcher(text).find()).isFalse();
    }

    @org.junit.jupiter.api.Test
    void parseOrDefaultFallsBackOnNull() {
        assertThat(GoDurations.parseOrDefault(null, Duration.ofHours(3))).isEqualTo(Duration.ofHours(3));
        assertThat(GoDurations.parseOrDefault("1h", Duration.ofHours(3))).isEqualTo(Duration.ofHours(1));
    }
}
