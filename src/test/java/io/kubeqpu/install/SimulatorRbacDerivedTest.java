package io.kubeqpu.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.controller.ManifestApplier;
import io.kubeqpu.controller.OperatorHarness;
import io.kubeqpu.dispatch.QpuFleet;
import io.kubeqpu.dispatch.SimulatorPods;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The chart's simulators Role grants exactly what the operator calls when it creates, watches, keeps and changes a
 * backend's simulator Deployment and Service (pods mode); derived from recorded calls, not written by hand.
 */
class SimulatorRbacDerivedTest {
    static final java.time.Duration T = java.time.Duration.ofSeconds(30);

    @Test
    void theSimulatorsRoleGrantsWhatTheOperatorCallsOnSimulators() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient test = server.createClient();
             KubernetesClient operator = new KubernetesClientBuilder().withConfig(new ConfigBuilder(test.getConfiguration())
                     .withUserAgent(OperatorApiCalls.OPERATOR_AGENT).build()).build()) {
            // The operator in pods mode (the harness: the same reconcilers as the image), simulators in the chart's namespace.
            OperatorHarness.installCrds(test);
            SimulatorPods pods = new SimulatorPods(operator, RenderedChart.NAMESPACE, "kubeqpu:0.1.0-SNAPSHOT");
            var deployments = test.apps().deployments().inNamespace(RenderedChart.NAMESPACE);
            var services = test.services().inNamespace(RenderedChart.NAMESPACE);
            String name = SimulatorPods.name("sim-eagle");
            try (OperatorHarness h = new OperatorHarness(operator, QpuFleet.inProcess(), pods)) {
                String sample = Files.readString(Path.of("config/samples/quantum_v1alpha1_quantumbackend_sim-eagle.yaml"));
                ManifestApplier.apply(test, sample, "default");                       // create
                await().atMost(T).until(() -> deployments.withName(name).get() != null && services.withName(name).get() != null);
                // A Service left by an older operator version (another desired-hash): it is brought up to date.
                var svc = services.withName(name).get();
                svc.getMetadata().getAnnotations().put("quantum.kubeqpu.io/desired-hash", "older");
                services.resource(svc).update();
                await().atMost(T).until(() -> !"older".equals(services.withName(name).get().getMetadata().getAnnotations()
                        .get("quantum.kubeqpu.io/desired-hash")));
                // The backend's spec changes: its Deployment is updated.
                String before = deployments.withName(name).get().getMetadata().getAnnotations().get("quantum.kubeqpu.io/desired-hash");
                ManifestApplier.apply(test, sample.replaceAll("parallelism: \\d+", "parallelism: 3"), "default");
                await().atMost(T).until(() -> !before.equals(deployments.withName(name).get().getMetadata().getAnnotations()
                        .get("quantum.kubeqpu.io/desired-hash")));
                // Its pod comes up (the Deployment's status): read from the informer, no call of the operator's own.
                var d = deployments.withName(name).get();
                d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(1).build());
                deployments.resource(d).updateStatus();
                await().atMost(T).until(() -> Boolean.TRUE.equals(test.resources(QuantumBackend.class).withName("sim-eagle").get()
                        .getStatus().getAvailable()));
            }
            // Only what the simulators Role is for: the rest is the ClusterRole's (RbacDerivedFromApiCallsTest).
            Set<ApiAccess> calls = new java.util.TreeSet<>(OperatorApiCalls.operatorCallsFrom(server, OperatorApiCalls.OPERATOR_AGENT));
            calls.removeIf(c -> !(c.group().equals("apps") && c.resource().startsWith("deployments")
                    || c.group().isEmpty() && c.resource().startsWith("services")));

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
