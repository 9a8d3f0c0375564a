package io.kubeqpu.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.dispatch.SimulatorPods;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The chart's simulators Role grants exactly what SimulatorPods calls when it creates, keeps and changes a
 * backend's simulator Deployment and Service (the cluster mode); derived from recorded calls, not written by hand.
 */
class SimulatorRbacDerivedTest {

    @Test
    void theSimulatorsRoleGrantsWhatSimulatorPodsCalls() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient test = server.createClient();
             KubernetesClient operator = new KubernetesClientBuilder().withConfig(new ConfigBuilder(test.getConfiguration())
                     .withUserAgent(OperatorApiCalls.OPERATOR_AGENT).build()).build()) {
            QuantumBackend b = test.getKubernetesSerialization().unmarshal(
                    Files.readString(Path.of("config/samples/quantum_v1alpha1_quantumbackend_sim-eagle.yaml")), QuantumBackend.class);
            b.getMetadata().setUid("uid-eagle");
            SimulatorPods pods = new SimulatorPods(operator, RenderedChart.NAMESPACE, "kubeqpu:0.1.0-SNAPSHOT");
            var profile = io.kubeqpu.controller.SpecMapper.profile(b);
            var options = io.kubeqpu.controller.SpecMapper.deviceOptions(b);
            pods.apply(b, profile, options);          // create
            pods.apply(b, profile, options);          // unchanged: read only
            b.getSpec().setParallelism(3);
            // A Service left by an older operator version (another desired-hash): it is brought up to date too.
            var svc = test.services().inNamespace(RenderedChart.NAMESPACE).withName(SimulatorPods.name("sim-eagle")).get();
            svc.getMetadata().getAnnotations().put("quantum.kubeqpu.io/desired-hash", "older");
            test.services().inNamespace(RenderedChart.NAMESPACE).resource(svc).update();
            pods.apply(b, profile, io.kubeqpu.controller.SpecMapper.deviceOptions(b)); // changed: update
            Set<ApiAccess> calls = OperatorApiCalls.operatorCallsFrom(server, OperatorApiCalls.OPERATOR_AGENT);

            Role role = RenderedChart.withDefaults().all(Role.class).stream()
                    .filter(r -> r.getMetadata().getName().endsWith("-simulators")).findFirst().orElseThrow();
            assertThat(role.getMetadata().getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
            assertThat(calls).isNotEmpty().allSatisfy(c -> assertThat(c.grantedBy(role.getRules())).as(c.toString()).isTrue());
            assertThat(ApiAccess.expand(role.getRules())).isEqualTo(calls);
        } finally {
            server.destroy();
        }
    }
}
