package io.kubeqpu.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubeqpu.api.v1alpha1.JobPhase;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GitOps applies objects in any order. What arrives before the instance or backend it names waits for an informer's
 * word that it exists, not on a 250 ms loop, and a new session or batch finds its namespace's default instance in a
 * cache, not by LISTing QuantumInstances on every reconcile.
 */
@EnableKubernetesMockClient(crud = true)
class WaitingForReferencesTest {
    static final Duration T = Duration.ofSeconds(20);
    KubernetesClient client;
    KubernetesMockServer server;
    OperatorHarness h;

    @BeforeEach
    void start() {
        h = new OperatorHarness(client);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void aSessionBeforeItsInstanceAndBackendWaitsForThemWithoutPollingAndStartsWhenTheyCome() throws Exception {
        h.apply(Manifests.session("vqe", "later", null, "1h", "60s"));
        Thread.sleep(300);
        drain();
        int before = reconciles("QuantumSession/default/vqe");
        Thread.sleep(2_000);
        assertThat(reconciles("QuantumSession/default/vqe") - before).as("reconciles of the waiting session in 2 s").isLessThanOrEqualTo(1);
        assertThat(instanceLists(drain())).as("LISTs of QuantumInstances in 2 s").isZero();
        assertThat(h.session("vqe").getStatus() == null || h.session("vqe").getStatus().getPhase() == null).as("still waiting").isTrue();

        h.apply(Manifests.instance("research", "premium", true));
        h.apply(Manifests.backend("later", 1, 0.001));
        await().atMost(T).until(() -> h.session("vqe").getStatus() != null && h.session("vqe").getStatus().getPhase() != null);
        assertThat(h.core.scheduler().workload(Ids.session("default", "vqe"))).hasValueSatisfying(w -> assertThat(w.instance()).isEqualTo("default/research"));
    }

    @Test
    void aJobBeforeItsBackendWaitsForItWithoutPollingAndRunsWhenItComes() throws Exception {
        h.apply(Manifests.instance("research", "premium", true));
        h.apply(Manifests.job("early", "later", ""));
        Thread.sleep(300);
        int before = reconciles("QuantumJob/default/early");
        Thread.sleep(2_500); // past References.QUIET: the job shows Pending, WaitingForReference, once
        assertThat(reconciles("QuantumJob/default/early") - before).as("reconciles of the waiting job in 2.5 s").isLessThanOrEqualTo(2);
        assertThat(h.job("early").getStatus().getPhase()).isEqualTo(JobPhase.PENDING);

        h.apply(Manifests.backend("later", 1, 0.001));
        h.awaitJob("early", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, T);
    }

    @Test
    void withWatchedNamespacesAJobAndASessionFindTheClusterScopedBackendTheyWaitFor() throws Exception {
        h.close();
        h = OperatorHarness.watching(client, java.util.Set.of("default"));
        h.apply(Manifests.instance("research", "premium", true));
        h.apply(Manifests.session("vqe", "later", null, "1h", "60s"));
        h.apply(Manifests.job("early", "later", ""));
        Thread.sleep(300);
        h.apply(Manifests.backend("later", 1, 0.001));
        h.awaitJob("early", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> h.session("vqe").getStatus() != null && h.session("vqe").getStatus().getPhase() != null);
    }

    @Test
    void aSessionTakenInAndWaitingForTheBackendIsNotWokenByItsStatusWrites() throws Exception {
        h.apply(Manifests.instance("research", "premium", true));
        h.apply(Manifests.backend("qpu", 1, 0.5));
        h.apply(Manifests.session("first", "qpu", null, "1h", "60s"));
        h.apply(Manifests.job("first-1", null, "sessionRef:\n    name: first"));
        h.awaitJob("first-1", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, T);
        h.apply(Manifests.session("second", "qpu", null, "1h", "60s"));
        await().atMost(T).until(() -> h.session("second").getStatus() != null
                && h.session("second").getStatus().getPhase() == io.kubeqpu.api.v1alpha1.WorkloadPhase.PENDING);
        Thread.sleep(300);
        int before = reconciles("QuantumSession/default/second");
        // The first session's jobs run one after another: the backend's and the instance's statuses change each time.
        for (int k = 2; k <= 4; k++) h.apply(Manifests.job("first-" + k, null, "sessionRef:\n    name: first"));
        for (int k = 2; k <= 4; k++)
            h.awaitJob("first-" + k, j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, T);
        assertThat(reconciles("QuantumSession/default/second") - before)
                .as("reconciles of a Pending session while another's three jobs ran").isLessThanOrEqualTo(1);
    }

    private int reconciles(String key) {
        AtomicInteger n = h.reconciles.get(key);
        return n == null ? 0 : n.get();
    }

    private java.util.List<String> drain() throws InterruptedException {
        return RecordedRequests.drain(server);
    }

    private static long instanceLists(java.util.List<String> requests) {
        return RecordedRequests.lists(requests, "/quantuminstances");
    }
}
