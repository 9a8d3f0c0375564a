package io.kubeqpu.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The operator reads every duration the chart's schema lets through, in the CRDs' Go form as well. */
class GoDurationConverterTest {
    static final Pattern SCHEMA = Pattern.compile(schemaPattern());

    static String schemaPattern() {
        try {
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(java.nio.file.Path.of("helm/kubeqpu/values.schema.json").toFile());
            return node.path("definitions").path("duration").path("pattern").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"1h30m, PT1H30M", "1.5h, PT1H30M", "8h, PT8H", "60s, PT1M", "250ms, PT0.25S", "250us, PT0.00025S",
            "PT8H, PT8H", "3d, PT72H", "0, PT0S"})
    void readsWhatTheSchemaAccepts(String text, String iso) {
        assertThat(SCHEMA.matcher(text).matches()).as("the chart's schema accepts " + text).isTrue();
        assertThat(new GoDurationConverter().convert(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"eight hours", "8 h", "1y", "h"})
    void bothRefuseTheRest(String text) {
        assertThat(SCHEMA.matcher(text).matches()).as("the chart's schema refuses " + text).isFalse();
        assertThatThrownBy(() -> new GoDurationConverter().convert(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
