package io.kubeqpu.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.WorkloadPhase;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A close waits for the jobs created before it (DESIGN §3.10), reading them from the job controller's informer cache
 * and woken when one is decided or deleted: no LIST of the namespace's jobs per retry, no 250 ms loop.
 */
@EnableKubernetesMockClient(crud = true)
class ClosingWaitsTest {
    static final Duration T = Duration.ofSeconds(20);
    KubernetesClient client;
    KubernetesMockServer server;
    OperatorHarness h;

    @BeforeEach
    void start() {
        h = new OperatorHarness(client);
        h.apply(Manifests.backend("qpu", 1, 0.001));
        h.apply(Manifests.instance("research", "premium", true));
        h.apply(Manifests.session("vqe", "qpu", null, "1h", "60s"));
        await().atMost(T).until(() -> h.session("vqe").getStatus() != null && h.session("vqe").getStatus().getPhase() != null);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void aWaitingCloseListsNoJobsAndIsWokenWhenTheJobIsDecided() throws Exception {
        // A job of the session that is not submitted yet: it names a backend that does not exist (waited for 30 s).
        h.apply(Manifests.job("early", "later", "sessionRef:\n    name: vqe"));
        Thread.sleep(1_100); // the close comes in a later second than the job's creation: the job is let in first
        close("vqe");
        Thread.sleep(500);
        drain();
        Thread.sleep(2_000);
        long lists = drain();
        assertThat(h.session("vqe").getStatus().getPhase()).as("the close waits for the job created before it")
                .isNotEqualTo(WorkloadPhase.CLOSED);
        assertThat(lists).as("LISTs of the namespace's QuantumJobs in 2 s while the close waits").isZero();

        // The backend appears: the job is decided (here refused, it is not the session's backend; not WorkloadClosed).
        h.apply(Manifests.backend("later", 1, 0.001));
        var early = h.awaitJob("early", j -> j.getStatus() != null && j.getStatus().getPhase() != null
                && j.getStatus().getPhase() != JobPhase.PENDING, T);
        long decided = System.nanoTime();
        assertThat(early.getStatus().getReason()).isNotEqualTo("WorkloadClosed");
        await().atMost(T).pollInterval(Duration.ofMillis(10)).until(() -> h.session("vqe").getStatus().getPhase() == WorkloadPhase.CLOSED);
        long ms = (System.nanoTime() - decided) / 1_000_000;
        System.out.printf("job decided -> its session's waiting close applied and Closed visible: %d ms%n", ms);
        // Woken by the job's decision, not by the fallback timer (5 s).
        assertThat(ms).isLessThan(2_500);
        // The API server had the last word before the close was applied, read a page at a time: a namespace of
        // 100,000 jobs is never one response.
        var confirming = RecordedRequests.drain(server).stream()
                .filter(r -> r.startsWith("GET ") && r.contains("/namespaces/default/quantumjobs?") && !r.contains("watch=true")).toList();
        assertThat(confirming).as("the confirming LIST").isNotEmpty().allSatisfy(r -> assertThat(r).contains("limit=500"));
    }

    @Test
    void aJobDeletedBeforeItWasSubmittedNoLongerHoldsTheCloseUp() throws Exception {
        h.apply(Manifests.job("early", "later", "sessionRef:\n    name: vqe"));
        Thread.sleep(1_100);
        close("vqe");
        Thread.sleep(1_000);
        assertThat(h.session("vqe").getStatus().getPhase()).isNotEqualTo(WorkloadPhase.CLOSED);
        long t0 = System.nanoTime();
        client.resource(h.job("early")).delete();
        await().atMost(T).pollInterval(Duration.ofMillis(10)).until(() -> h.session("vqe").getStatus().getPhase() == WorkloadPhase.CLOSED);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms from the delete to Closed").isLessThan(2_500);
        // A job applied after the close is refused.
        h.apply(Manifests.job("late", null, "sessionRef:\n    name: vqe"));
        assertThat(h.awaitJob("late", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.FAILED, T)
                .getStatus().getReason()).isEqualTo("WorkloadClosed");
    }

    @Test
    void aJobCreatedAfterTheCloseWaitsForItAndIsRefusedEvenWhileTheCloseWaits() throws Exception {
        // The close waits for "early" (created before it, its backend not there yet): meanwhile the session is still
        // open in the scheduler. A job created after the close must not slip in (DESIGN §3.10: a new job is refused).
        h.apply(Manifests.job("early", "later", "sessionRef:\n    name: vqe"));
        Thread.sleep(1_100);
        close("vqe");
        Thread.sleep(1_100); // a later second than the close
        h.apply(Manifests.job("late", null, "sessionRef:\n    name: vqe"));
        Thread.sleep(1_000);
        assertThat(h.job("late").getStatus() == null || h.job("late").getStatus().getPhase() == null)
                .as("the late job is not submitted while the close waits: %s", h.job("late").getStatus()).isTrue();
        h.apply(Manifests.backend("later", 1, 0.001));
        var late = h.awaitJob("late", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.FAILED
                || j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, T);
        assertThat(late.getStatus().getReason()).isEqualTo("WorkloadClosed");
        await().atMost(T).until(() -> h.session("vqe").getStatus().getPhase() == WorkloadPhase.CLOSED);
    }

    private void close(String session) {
        OperatorHarness.closeSession(client, session);
    }

    /** Takes the requests recorded so far; returns how many LISTed QuantumJobs in a namespace. */
    private long drain() throws InterruptedException {
        return RecordedRequests.lists(RecordedRequests.drain(server), "/namespaces/default/quantumjobs");
    }
}
