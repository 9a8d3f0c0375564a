package io.kubeqpu.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumInstance;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.QuantumSession;
import io.kubeqpu.controller.ManifestApplier;
import io.kubeqpu.controller.Manifests;
import io.kubeqpu.controller.OperatorHarness;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: deleting a namespace whose session holds a backend's exclusive lease must release the lease, so another
 * tenant's job on that backend runs. The namespace controller deletes every object of the namespace (in no set
 * order); the instance is deleted first here, the hardest order for the session's cleanup.
 */
@EnableKubernetesMockClient(crud = true)
class NamespaceDeletionTest {
    static final Duration T = Duration.ofSeconds(30);
    KubernetesClient client;

    @Test
    void deletingANamespaceWithAnActiveSessionReleasesTheBackendForOthers() {
        try (OperatorHarness h = new OperatorHarness(client)) {
            h.apply(Manifests.backend("qpu", 1, 0.001));
            h.apply(Manifests.instance("research", "premium", true));
            ManifestApplier.apply(client, Manifests.instance("lab", "premium", true), "gone");
            ManifestApplier.apply(client, Manifests.session("s", "qpu", null, "2h", "1h"), "gone");
            ManifestApplier.apply(client, Manifests.job("s-1", null, "sessionRef:\n    name: s"), "gone");
            await().atMost(T).until(() -> {
                QuantumJob j = client.resources(QuantumJob.class).inNamespace("gone").withName("s-1").get();
                return j != null && j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED;
            });
            await().atMost(T).until(() -> session(h) != null && session(h).getStatus() != null && session(h).getStatus().getLease() != null);

            // The session is active for an hour: another tenant's job waits for the lease.
            h.apply(Manifests.job("bystander", "qpu", ""));
            h.awaitJob("bystander", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.QUEUED, T);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> h.job("bystander").getStatus().getPhase() == JobPhase.QUEUED);

            // What the namespace controller does: delete every object of the namespace.
            client.resources(QuantumInstance.class).inNamespace("gone").withName("lab").delete();
            client.resources(QuantumJob.class).inNamespace("gone").delete();
            client.resources(QuantumSession.class).inNamespace("gone").delete();
            await().atMost(T).until(() -> client.resources(QuantumSession.class).inNamespace("gone").list().getItems().isEmpty()
                    && client.resources(QuantumInstance.class).inNamespace("gone").list().getItems().isEmpty());

            h.awaitJob("bystander", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, T);
            assertThat(h.core.scheduler().backend("qpu").orElseThrow().toString()).doesNotContain("gone/s");
        }
    }

    private QuantumSession session(OperatorHarness h) {
        return client.resources(QuantumSession.class).inNamespace("gone").withName("s").get();
    }
}
