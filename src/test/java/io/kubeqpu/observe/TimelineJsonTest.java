package io.kubeqpu.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.controller.Manifests;
import io.kubeqpu.controller.OperatorHarness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The dashboard document: a deleted backend's lane goes away; what never ran is listed with its reason. */
@EnableKubernetesMockClient(crud = true)
class TimelineJsonTest {
    KubernetesClient client;

    @Test
    void aDeletedBackendLeavesTheDashboardAndUnrunWorkIsListed() throws Exception {
        try (OperatorHarness h = new OperatorHarness(client)) {
            TimelineRecorder recorder = new TimelineRecorder(() -> h.core.scheduler(), Clock.systemUTC());
            h.core.observe(recorder);
            TimelineJson json = new TimelineJson(recorder, () -> h.core.scheduler(), b -> h.fleet.device(b).isPresent());
            h.apply(Manifests.backend("qpu", 1, 0.001));
            h.apply(Manifests.instance("research", "premium", true));
            h.apply(Manifests.instance("students", "open", false));
            h.apply(Manifests.session("cheap", "qpu", "students", "1h", "60s"));
            h.apply(Manifests.job("bell", "qpu", ""));
            h.awaitJob("bell", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(20)).until(() -> doc(json).path("unrun").size() == 1);
            JsonNode unrun = doc(json).path("unrun").get(0);
            assertThat(unrun.path("kind").asText()).isEqualTo("session");
            assertThat(unrun.path("name").asText()).isEqualTo("cheap");
            assertThat(unrun.path("namespace").asText()).isEqualTo("default");
            assertThat(unrun.path("reason").asText()).isEqualTo("PlanNotAllowed");
            assertThat(doc(json).path("backends").get(0).path("bars").get(0).path("namespace").asText()).isEqualTo("default");

            assertThat(doc(json).path("backends")).hasSize(1);
            client.resources(QuantumBackend.class).withName("qpu").delete();
            await().atMost(Duration.ofSeconds(20)).until(() -> doc(json).path("backends").isEmpty());
        }
    }

    static JsonNode doc(TimelineJson json) throws Exception {
        return new ObjectMapper().readTree(json.render(Instant.now()));
    }
}
