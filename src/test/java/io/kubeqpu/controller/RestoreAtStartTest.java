package io.kubeqpu.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The restore is a startup phase (DESIGN §2), not the first reconcile's work: an operator that starts on a cluster
 * with nothing to reconcile is restored, and ready, all the same. (Before, it said "not yet asked" until an object
 * came.)
 */
@EnableKubernetesMockClient(crud = true)
class RestoreAtStartTest {
    KubernetesClient client;

    @Test
    void anOperatorOnAnEmptyClusterIsRestoredWithoutAReconcile() {
        try (OperatorHarness h = new OperatorHarness(client)) {
            await().atMost(Duration.ofSeconds(10)).until(h.core::restored);
            assertThat(h.reconciles).as("reconciles").isEmpty();
            assertThat(new RestoreReadiness(h.core).call().getData().orElseThrow().get("state")).isEqualTo("restored");
        }
    }
}
