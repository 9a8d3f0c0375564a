package io.kubeqpu.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metrics Service, the optional ServiceMonitor, and the NetworkPolicy guarding simulator pods. */
class MetricsAndNetworkPolicyTest {

    @Test
    void theMetricsServiceSelectsTheOperatorOnPort8080() {
        RenderedChart chart = RenderedChart.withDefaults();
        Service svc = chart.one(Service.class);
        assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(8080);
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
        });
        Map<String, String> podLabels = chart.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(svc.getSpec().getSelector());
    }

    @Test
    void aServiceMonitorIsRenderedOnlyWhenEnabled() {
        assertThat(RenderedChart.withDefaults().generic("ServiceMonitor")).isEmpty();
        GenericKubernetesResource sm = RenderedChart.with(Map.of("metrics.serviceMonitor.enabled", true,
                "metrics.serviceMonitor.labels.release", "prometheus")).generic("ServiceMonitor").orElseThrow();
        assertThat(sm.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(sm.getMetadata().getLabels()).containsEntry("release", "prometheus");
        List<Map<String, Object>> endpoints = sm.get("spec", "endpoints");
        assertThat(endpoints).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("port", "http").containsEntry("path", "/q/metrics");
        });
    }

    @Test
    void onlyTheOperatorMayReachSimulatorPods() {
        RenderedChart chart = RenderedChart.withDefaults();
        NetworkPolicy np = chart.one(NetworkPolicy.class);
        assertThat(np.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "simulator");
        assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(np.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
                assertThat(peer.getNamespaceSelector()).isNull();
                assertThat(peer.getIpBlock()).isNull();
                Map<String, String> operatorPod = chart.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels();
                assertThat(operatorPod).containsAllEntriesOf(peer.getPodSelector().getMatchLabels());
                assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "operator");
            });
            assertThat(rule.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8080));
        });
        // The simulator pod template falls under the policy.
        var simLabels = chart.one(io.fabric8.kubernetes.api.model.PodTemplate.class).getTemplate().getMetadata().getLabels();
        assertThat(simLabels).containsAllEntriesOf(np.getSpec().getPodSelector().getMatchLabels());
    }

    @Test
    void theNetworkPolicyCanBeTurnedOff() {
        assertThat(RenderedChart.with(Map.of("networkPolicy.enabled", false)).all(NetworkPolicy.class)).isEmpty();
    }
}
