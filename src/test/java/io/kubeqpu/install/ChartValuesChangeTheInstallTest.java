package io.kubeqpu.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubeqpu.dispatch.SimulatorPods;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each simulator.* value changes what is installed: the rendered operator environment changes, and the simulator
 * Deployment the operator builds from that environment (the same parsing as the operator's) carries the value.
 */
class ChartValuesChangeTheInstallTest {

    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of("simulator.port", 9090),
                Arguments.of("simulator.resources.limits.memory", "3Gi"),
                Arguments.of("simulator.resources.requests.cpu", "2"),
                Arguments.of("simulator.securityContext.runAsUser", 4242),
                Arguments.of("simulator.podSecurityContext.fsGroup", 4343));
    }

    static Map<String, String> env(RenderedChart chart) {
        Map<String, String> out = new LinkedHashMap<>();
        for (EnvVar e : chart.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
            if (e.getValue() != null) out.put(e.getName(), e.getValue());
        return out;
    }

    /** The simulator Deployment the operator would create with this rendered environment. */
    static Deployment simulatorFor(Map<String, String> env) {
        var defaults = SimulatorPods.PodDefaults.HARDENED.with(Integer.valueOf(env.get("KUBEQPU_SIMULATOR_POD_PORT")),
                env.get("KUBEQPU_SIMULATOR_POD_RESOURCES"), env.get("KUBEQPU_SIMULATOR_POD_POD_SECURITY_CONTEXT"),
                env.get("KUBEQPU_SIMULATOR_POD_SECURITY_CONTEXT"));
        var pods = new SimulatorPods(null, "kubeqpu-system", "kubeqpu:0.1.0", defaults);
        var backend = new KubernetesSerialization().unmarshal("""
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumBackend
                metadata: {name: eagle, uid: u1}
                spec: {numQubits: 5}
                """, io.kubeqpu.api.v1alpha1.QuantumBackend.class);
        return pods.desiredDeployment(backend, null, null);
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("values")
    void theValueReachesTheSimulatorPods(String key, Object value) {
        RenderedChart defaults = RenderedChart.withDefaults();
        RenderedChart changed = RenderedChart.with(Map.of(key, value));
        assertThat(env(changed)).as("the operator's environment changes with " + key).isNotEqualTo(env(defaults));
        var container = simulatorFor(env(changed)).getSpec().getTemplate().getSpec().getContainers().get(0);
        var pod = simulatorFor(env(changed)).getSpec().getTemplate().getSpec();
        switch (key) {
            case "simulator.port" -> {
                assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(9090);
                assertThat(container.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(9090);
                assertThat(changed.one(NetworkPolicy.class).getSpec().getIngress().get(0).getPorts().get(0).getPort().getIntVal())
                        .as("the NetworkPolicy opens the same port").isEqualTo(9090);
            }
            case "simulator.resources.limits.memory" -> assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("3Gi");
            case "simulator.resources.requests.cpu" -> assertThat(container.getResources().getRequests().get("cpu").toString()).isEqualTo("2");
            case "simulator.securityContext.runAsUser" -> {
                assertThat(container.getSecurityContext().getRunAsUser()).isEqualTo(4242L);
                assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as("the rest stays hardened").isTrue();
            }
            case "simulator.podSecurityContext.fsGroup" -> assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(4343L);
            default -> throw new AssertionError(key);
        }
    }

    @org.junit.jupiter.api.Test
    void withDefaultValuesTheSimulatorPodsAreHardened() {
        var d = simulatorFor(env(RenderedChart.withDefaults()));
        var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).isEqualTo(List.of("ALL"));
        assertThat(c.getResources().getRequests().get("cpu").toString()).isEqualTo("250m");
        assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser()).isEqualTo(185L);
    }
}
