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

    /** A backend's slots and lanes default in one place: what the CRD defaults, the operator uses when they are absent. */
    @Test
    void absentParallelismAndLanesTakeTheCrdsDefaults() {
        QuantumBackend b = yaml.unmarshal(Manifests.backend("q", 1, 0.001), QuantumBackend.class);
        b.getSpec().setParallelism(null);
        b.getSpec().setPreprocessingLanes(null);
        var mapped = SpecMapper.backend(b);
        assertThat(mapped.parallelism()).isEqualTo(io.kubeqpu.api.v1alpha1.QuantumBackendSpec.DEFAULT_PARALLELISM);
        assertThat(mapped.preprocessingLanes()).isEqualTo(io.kubeqpu.api.v1alpha1.QuantumBackendSpec.DEFAULT_PREPROCESSING_LANES);
        assertThat(SpecMapper.deviceOptions(b).prepareLanes()).isEqualTo(io.kubeqpu.api.v1alpha1.QuantumBackendSpec.DEFAULT_PREPROCESSING_LANES);
        // The scheduler's shorthand for tests and the local demo says the same (DESIGN §3).
        assertThat(io.kubeqpu.scheduler.BackendSpec.of("q").parallelism()).isEqualTo(mapped.parallelism());
        assertThat(io.kubeqpu.scheduler.BackendSpec.of("q").preprocessingLanes()).isEqualTo(mapped.preprocessingLanes());
    }
}
