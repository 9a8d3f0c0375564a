package io.kubeqpu.install;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json rejects bad values before anything reaches a cluster (helm install/template/lint). */
class ValuesSchemaTest {

    @ParameterizedTest(name = "{0}={1} is rejected")
    @CsvSource({
            "replicaCount, two",
            "replicaCount, -1",
            "image.pullPolicy, Sometimes",
            "operator.defaultMaxTTL, eight hours",
            "operator.logLevel, LOUD",
            "metrics.serviceMonitor.enabled, maybe",
            "operator.watchNamespaces[0], Team_A",
            "imageTypo, x",
    })
    void aBadValueIsRejected(String key, String value) {
        assertThatThrownBy(() -> RenderedChart.with(Map.of(key, value)))
                .hasMessageContaining("values don't meet the specifications of the schema");
    }

    @ParameterizedTest(name = "{0}={1} is accepted")
    @CsvSource({
            "operator.defaultMaxTTL, PT8H",
            "operator.defaultMaxTTL, 90m",
            "operator.defaultMaxTTL, 1h30m",
            "operator.defaultMaxTTL, 1.5h",
            "operator.defaultInteractiveTTL, 250us",
            "operator.defaultMaxTTL, 3d",
            "operator.defaultInteractiveTTL, 500ms",
            "replicaCount, 0",
            "operator.logLevel, WARN",
    })
    void aGoodValueIsAccepted(String key, String value) {
        assertThatCode(() -> RenderedChart.with(Map.of(key, value))).doesNotThrowAnyException();
    }
}
