package io.kubeqpu.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every container the chart renders (operator Deployment, simulator PodTemplate) is locked down ("restricted" PSS). */
class PodSecurityTest {
    final RenderedChart chart = RenderedChart.withDefaults();

    record Pod(String owner, PodSpec spec) {}

    List<Pod> pods() {
        List<Pod> pods = new ArrayList<>();
        chart.all(Deployment.class).forEach(d -> pods.add(new Pod("Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate().getSpec())));
        chart.all(PodTemplate.class).forEach(t -> pods.add(new Pod("PodTemplate/" + t.getMetadata().getName(), t.getTemplate().getSpec())));
        return pods;
    }

    @Test
    void theChartRendersTheOperatorAndTheSimulatorPod() {
        assertThat(pods()).extracting(Pod::owner)
                .containsExactlyInAnyOrder("Deployment/kubeqpu", "PodTemplate/kubeqpu-simulator");
    }

    @Test
    void everyContainerRunsAsNonRootOnAReadOnlyRootWithoutPrivilegesOrCapabilities() {
        for (Pod pod : pods()) {
            PodSecurityContext podSc = pod.spec().getSecurityContext();
            for (Container c : containers(pod.spec())) {
                SecurityContext sc = c.getSecurityContext();
                String where = pod.owner() + " container " + c.getName();
                assertThat(sc).as(where).isNotNull();
                assertThat(sc.getRunAsNonRoot()).as(where + " runAsNonRoot").isTrue();
                assertThat(sc.getReadOnlyRootFilesystem()).as(where + " readOnlyRootFilesystem").isTrue();
                assertThat(sc.getAllowPrivilegeEscalation()).as(where + " allowPrivilegeEscalation").isFalse();
                assertThat(sc.getPrivileged()).as(where + " privileged").isNotEqualTo(Boolean.TRUE);
                assertThat(sc.getCapabilities().getDrop()).as(where + " capabilities.drop").containsExactly("ALL");
                assertThat(sc.getCapabilities().getAdd()).as(where + " capabilities.add").isNullOrEmpty();
                String seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile().getType()
                        : podSc != null && podSc.getSeccompProfile() != null ? podSc.getSeccompProfile().getType() : null;
                assertThat(seccomp).as(where + " seccompProfile").isEqualTo("RuntimeDefault");
            }
            assertThat(podSc.getRunAsNonRoot()).as(pod.owner() + " pod runAsNonRoot").isTrue();
            assertThat(podSc.getRunAsUser()).as(pod.owner() + " pod runAsUser").isPositive();
            assertThat(pod.spec().getHostNetwork()).isNotEqualTo(Boolean.TRUE);
            assertThat(pod.spec().getHostPID()).isNotEqualTo(Boolean.TRUE);
        }
    }

    @Test
    void everyContainerGetsAWritableTmpFromAnEmptyDir() {
        for (Pod pod : pods()) {
            for (Container c : containers(pod.spec())) {
                var tmp = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst();
                assertThat(tmp).as(pod.owner() + " " + c.getName() + " mounts /tmp").isPresent();
                assertThat(pod.spec().getVolumes()).filteredOn(v -> v.getName().equals(tmp.get().getName()))
                        .singleElement().satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
            }
        }
    }

    @Test
    void theSimulatorPodIsLabelledAsTheSimulatorComponentAndRunsTheSimulatorRole() {
        PodTemplate sim = chart.one(PodTemplate.class);
        assertThat(sim.getTemplate().getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "simulator");
        assertThat(sim.getTemplate().getSpec().getContainers()).singleElement()
                .satisfies(c -> assertThat(c.getArgs()).containsExactly("simulator"));
        assertThat(sim.getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void valuesCannotTurnRootOrPrivilegeEscalationBackOn() {
        // values.schema.json pins these two: a values file cannot weaken them silently.
        for (var bad : List.of(Map.<String, Object>of("securityContext.runAsNonRoot", false),
                Map.<String, Object>of("simulator.securityContext.allowPrivilegeEscalation", true))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RenderedChart.with(bad)).as(bad.toString())
                    .hasMessageContaining("values don't meet the specifications of the schema");
        }
    }

    static List<Container> containers(PodSpec spec) {
        return Stream.concat(spec.getContainers().stream(),
                spec.getInitContainers() == null ? Stream.empty() : spec.getInitContainers().stream()).toList();
    }
}
