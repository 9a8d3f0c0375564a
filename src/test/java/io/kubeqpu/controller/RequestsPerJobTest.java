package io.kubeqpu.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What one job costs the API server. Every request is one more for an API server that a burst of users already keeps
 * busy: a status write, a label or an Event's count is one PATCH, never a GET of the object first (Fabric8 GETs
 * before a patch by name unless handed the object: OperatorBench counted a GET per job).
 */
@EnableKubernetesMockClient(crud = true)
class RequestsPerJobTest {
    static final Duration T = Duration.ofSeconds(30);
    KubernetesClient client;
    KubernetesMockServer server;

    @Test
    void aJobInASessionIsPatchedNeverFetchedByTheOperator() throws Exception {
        try (OperatorHarness h = new OperatorHarness(client)) {
            h.apply(Manifests.backend("qpu", 1, 0.001));
            h.apply(Manifests.instance("research", "premium", true));
            h.apply(Manifests.session("vqe", "qpu", null, "1h", "60s"));
            await().atMost(T).until(() -> h.session("vqe").getStatus() != null && h.session("vqe").getStatus().getPhase() != null);
            drain();

            // Created, not applied: an apply GETs first, and every GET of the job by name below must be the operator's.
            client.resources(QuantumJob.class).inNamespace("default").resource(client.getKubernetesSerialization().unmarshal(Manifests.job("solo", "qpu", "sessionRef:\n    name: vqe"),
                    QuantumJob.class)).create();
            // Waited for by LISTs, for the same reason.
            await().atMost(T).pollInterval(Duration.ofMillis(50)).until(() -> client.resources(QuantumJob.class).inNamespace("default").list()
                    .getItems().stream().anyMatch(j -> j.getMetadata().getName().equals("solo") && j.getStatus() != null
                            && j.getStatus().getPhase() == JobPhase.COMPLETED && j.getStatus().getResultRef() != null
                            && j.getMetadata().getLabels() != null && j.getMetadata().getLabels().containsKey(QuantumJobReconciler.SESSION_LABEL)));
            h.core.flush(10_000);
            List<String> aboutTheJob = new ArrayList<>();
            for (String r : drain()) if (r.contains("/quantumjobs/solo")) aboutTheJob.add(r);

            assertThat(aboutTheJob).as("the operator's requests about the job").noneMatch(r -> r.startsWith("GET "))
                    .anyMatch(r -> r.startsWith("PATCH ") && r.contains("/quantumjobs/solo/status"))
                    .anyMatch(r -> r.startsWith("PATCH ") && !r.contains("/status")); // the finalizer or the session's label
        }
    }

    @Test
    void aBatchCreatesItsInlineJobsWithoutAGetOfEach() throws Exception {
        try (OperatorHarness h = new OperatorHarness(client)) {
            h.apply(Manifests.backend("qpu", 1, 0.001));
            h.apply(Manifests.instance("research", "premium", true));
            await().atMost(T).until(() -> client.resources(io.kubeqpu.api.v1alpha1.QuantumBackend.class).withName("qpu").get().getStatus() != null);
            drain();
            StringBuilder templates = new StringBuilder();
            for (int k = 0; k < 5; k++) templates.append(Manifests.template("t" + k, 10, Manifests.BELL));
            h.apply(Manifests.closedBatch("sweep", "qpu", templates.toString()));
            await().atMost(T).until(() -> h.batch("sweep").getStatus() != null
                    && h.batch("sweep").getStatus().getPhase() == io.kubeqpu.api.v1alpha1.WorkloadPhase.CLOSED);
            h.core.flush(10_000);
            List<String> aboutItsJobs = new ArrayList<>();
            for (String r : drain()) if (r.contains("/quantumjobs/sweep-")) aboutItsJobs.add(r);
            // Its own jobs are in its informer (and a name taken by another job answers the create with 409).
            assertThat(aboutItsJobs).as("the operator's requests about the batch's jobs").noneMatch(r -> r.startsWith("GET "))
                    .anyMatch(r -> r.startsWith("PATCH ") && r.contains("/quantumjobs/sweep-t4/status"));
        }
    }

    @Test
    void theSameEventAgainBumpsItsCountWithOnePatch() throws Exception {
        try (Events events = new Events(client, Clock.systemUTC())) {
            events.uid("QuantumJob", "default", "solo", "uid-1");
            events.record("QuantumJob", "default", "solo", "Completed", "done", false);
            await().atMost(T).until(events::idle);
            drain();
            events.record("QuantumJob", "default", "solo", "Completed", "done", false);
            await().atMost(T).until(events::idle);

            List<String> requests = drain();
            assertThat(requests).as("the second Event's requests").hasSize(1).allMatch(r -> r.startsWith("PATCH ") && r.contains("/events/solo."));
            assertThat(client.v1().events().inNamespace("default").list().getItems()).singleElement()
                    .satisfies(e -> assertThat(e.getCount()).isEqualTo(2));
        }
    }

    private List<String> drain() throws InterruptedException {
        return RecordedRequests.drain(server);
    }
}
