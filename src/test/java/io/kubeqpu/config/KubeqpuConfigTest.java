package io.kubeqpu.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's settings are typed: a value the operator does not know stops it at startup with the key named. */
class KubeqpuConfigTest {

    private static KubeqpuConfig config(Map<String, String> values) {
        // Durations as Go writes them (8h, 60s), as the operator reads them (GoDurationConverter is a registered service).
        SmallRyeConfig c = new SmallRyeConfigBuilder().withMapping(KubeqpuConfig.class)
                .withConverter(java.time.Duration.class, 300, new GoDurationConverter())
                .withSources(new MapBackedConfigSource("test", values) {}).build();
        return c.getConfigMapping(KubeqpuConfig.class);
    }

    @Test
    void qpuModeReadsBothValuesAsWrittenAndDefaultsToInProcess() {
        assertThat(config(Map.of()).qpuMode()).isEqualTo(KubeqpuConfig.QpuMode.IN_PROCESS);
        assertThat(config(Map.of("kubeqpu.qpu-mode", "pods")).qpuMode()).isEqualTo(KubeqpuConfig.QpuMode.PODS);
        assertThat(config(Map.of("kubeqpu.qpu-mode", "in-process")).qpuMode()).isEqualTo(KubeqpuConfig.QpuMode.IN_PROCESS);
    }

    @Test
    void aTypoInQpuModeIsRefusedNotTakenForInProcess() {
        assertThatThrownBy(() -> config(Map.of("kubeqpu.qpu-mode", "pod")))
                .hasStackTraceContaining("kubeqpu.qpu-mode").hasStackTraceContaining("pod");
    }
}
