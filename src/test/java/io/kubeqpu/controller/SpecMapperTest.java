package io.kubeqpu.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpecMapperTest {
    final KubernetesSerialization yaml = new KubernetesSerialization();

    @Test
    void zeroCalibrationMeansNone() {
        QuantumBackend b = yaml.unmarshal(Manifests.backend("q", 1, 0.001), QuantumBackend.class);
        assertThat(SpecMapper.backend(b).calibrationInterval()).isNull();
    }

    @Test
    void timeScaleCompressesTheCalibrationCadenceNotTheLimits() {
        QuantumBackend b = yaml.unmarshal(Manifests.backend("q", 2, 0.01).replace("interval: \"0s\"", "interval: \"20m\"")
                .replace("duration: \"0s\"", "duration: \"2m\""), QuantumBackend.class);
        var spec = SpecMapper.backend(b);
        assertThat(spec.calibrationInterval()).isEqualTo(Duration.ofSeconds(12));
        assertThat(spec.calibrationDuration()).isEqualTo(Duration.ofMillis(1200));
        assertThat(spec.parallelism()).isEqualTo(2);
        assertThat(spec.maxTTL()).isEqualTo(Duration.ofHours(8));
    }
}
