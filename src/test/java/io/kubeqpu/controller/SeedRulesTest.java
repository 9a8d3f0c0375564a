package io.kubeqpu.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumInstance;
import io.kubeqpu.api.v1alpha1.WorkloadPhase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 through the API: a session's lease is charged once, for the time the backend was its own (DESIGN §3: a
 * session's usage is its wall-clock time while active); jobs start in the order the operator first saw them, also
 * within one second.
 */
@EnableKubernetesMockClient(crud = true)
class SeedRulesTest {
    static final Duration T = Duration.ofSeconds(30);
    KubernetesClient client;
    OperatorHarness h;

    @BeforeEach
    void start() {
        h = new OperatorHarness(client);
        h.apply(Manifests.backend("qpu", 1, 0.001));
        h.apply(Manifests.instance("research", "premium", true));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void aSessionGoingInactiveIsChargedOnceSoTheInstancesQueuedJobStillRunsUnderItsLimit() {
        // ~3 s of lease (its job, then a 3 s interactive TTL): charged twice it would pass the 5 s limit.
        h.apply(Manifests.instance("lab", "premium", false).replace("default: false", "default: false\n  usageLimitSeconds: 5"));
        h.apply(Manifests.session("s", "qpu", "lab", "1h", "3s"));
        h.apply(Manifests.job("s-1", null, "sessionRef:\n    name: s"));
        h.awaitJob("s-1", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, T);
        // Queued behind the session's exclusive lease until it goes inactive.
        h.apply(Manifests.job("single", "qpu", "instance: lab"));
        h.awaitJob("single", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.QUEUED, T);

        var single = h.awaitJob("single", j -> j.getStatus().getPhase() == JobPhase.COMPLETED || j.getStatus().getPhase() == JobPhase.FAILED, T);
        assertThat(single.getStatus().getPhase()).as(single.getStatus().getReason() + ": " + single.getStatus().getMessage())
                .isEqualTo(JobPhase.COMPLETED);
        var session = h.session("s").getStatus();
        assertThat(session.getPhase()).isEqualTo(WorkloadPhase.INACTIVE);
        double sessionSeconds = session.getUsage().getQuantumSeconds();
        assertThat(sessionSeconds).isBetween(2.5, 4.5);
        // The instance pays the session's lease once plus the single job's modelled QPU time.
        double expected = sessionSeconds + single.getStatus().getUsage().getQuantumSeconds();
        await().atMost(T).untilAsserted(() -> assertThat(instanceUsage("lab")).isBetween(expected - 0.01, expected + 0.01));
    }

    @Test
    void aSessionIsBilledFromWhenTheBackendIsItsOwnNotWhileAnotherInstancesJobDrains() {
        h.apply(Manifests.backend("slow", 1, 5.0));
        h.apply(Manifests.instance("lab", "premium", false));
        // ~6 s on the QPU: still running when the session takes the lease.
        h.apply(Manifests.job("long", "slow", "").replace("shots: 100", "shots: 4000"));
        h.awaitJob("long", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.RUNNING, T);
        h.apply(Manifests.session("s", "slow", "lab", "1h", "1s"));
        h.apply(Manifests.job("s-1", null, "sessionRef:\n    name: s").replace("shots: 100", "shots: 10"));

        var long_ = h.awaitJob("long", j -> j.getStatus().getPhase() == JobPhase.COMPLETED, Duration.ofSeconds(60));
        await().atMost(T).until(() -> h.session("s").getStatus() != null && h.session("s").getStatus().getPhase() == WorkloadPhase.INACTIVE);
        var session = h.session("s").getStatus();
        Instant drained = Instant.parse(long_.getStatus().getCompletedAt());
        Instant released = Instant.parse(session.getLeaseReleasedAt());
        double ownSeconds = Duration.between(drained, released).toMillis() / 1000.0;
        // Timestamps have second precision: the bill is the time from the drain to the release, give or take 1 s, not
        // the several seconds more it would be from taking the lease while "long" still ran.
        assertThat(session.getUsage().getQuantumSeconds()).isBetween(ownSeconds - 1.0, ownSeconds + 1.0);
        assertThat(Instant.parse(h.job("s-1").getStatus().getStartedAt())).isAfterOrEqualTo(drained);
    }

    @Test
    void jobsCreatedInTheSameSecondStartInTheOrderTheOperatorSawThemEvenAfterARestartNotByName() throws Exception {
        h.apply(Manifests.backend("one", 1, 1.0));
        h.apply(Manifests.job("first", "one", "").replace("shots: 100", "shots: 2000"));
        h.awaitJob("first", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.RUNNING, T);
        // Names against the alphabet, created within a second or so of each other, each once the previous was seen.
        java.util.List<String> names = java.util.List.of("zeta", "mu", "delta", "alpha");
        for (String n : names) h.applyInTurn(n, Manifests.job(n, "one", ""));
        // A new operator rebuilds the queue from the statuses: the order it saw them must survive it.
        h.core.flush(5_000);
        h.restart();
        java.util.List<String> started = new java.util.ArrayList<>();
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (started.size() < names.size() && System.nanoTime() < until) {
            for (String n : names) {
                var st = h.job(n).getStatus();
                if (!started.contains(n) && (st.getPhase() == JobPhase.RUNNING || st.getPhase() == JobPhase.COMPLETED)) started.add(n);
            }
            Thread.sleep(10);
        }
        assertThat(started).containsExactlyElementsOf(names);
        java.util.List<Long> arrivals = names.stream().map(n -> h.job(n).getStatus().getArrival()).toList();
        assertThat(arrivals).isSorted().doesNotHaveDuplicates();
    }

    private double instanceUsage(String name) {
        QuantumInstance i = client.resources(QuantumInstance.class).inNamespace("default").withName(name).get();
        return i.getStatus() == null || i.getStatus().getUsage() == null ? 0 : i.getStatus().getUsage().getQuantumSeconds();
    }
}
