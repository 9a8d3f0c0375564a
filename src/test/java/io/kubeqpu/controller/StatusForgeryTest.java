package io.kubeqpu.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumInstance;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.QuantumSession;
import io.kubeqpu.api.v1alpha1.WorkloadPhase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whoever may write {@code …/status} edits usage and deadlines while the operator is down; a fresh operator (new
 * fleet, empty caches, QPUs that outlive it) must restore what was true, from its own ledger: usage not lowered, no
 * deadline moved out, no lease or stop-at-limit dropped.
 */
@EnableKubernetesMockClient(crud = true)
class StatusForgeryTest {
    static final Duration T = Duration.ofSeconds(30);
    static final String Y2036 = "2036-01-01T00:00:00Z";
    KubernetesClient client;
    HttpQpus qpus;
    OperatorHarness h;

    @BeforeEach
    void start() {
        qpus = new HttpQpus();
        h = OperatorHarness.withFreshFleets(client, qpus::newFleet);
        h.apply(Manifests.instance("research", "premium", true));
    }

    @AfterEach
    void stop() {
        h.close();
        qpus.close();
    }

    static boolean phase(QuantumJob j, JobPhase p) {
        return j.getStatus() != null && j.getStatus().getPhase() == p;
    }

    QuantumInstance instance(String name) {
        return client.resources(QuantumInstance.class).inNamespace("default").withName(name).get();
    }

    /** ~11.0 quantum seconds: 1 s overhead + 40,000 shots × ~250 µs. */
    static String elevenSecondJob(String name) {
        return Manifests.job(name, "qpu", "instance: capped").replace("shots: 100", "shots: 40000");
    }

    @Test
    void usageEditedToZeroWhileTheOperatorIsDownIsNotBelievedAndTheLimitStillHolds() {
        h.apply(Manifests.backend("qpu", 1, 0.001));
        h.apply(Manifests.instance("capped", "payg", false).replace("default: false", "default: false\n  usageLimitSeconds: 20"));
        h.apply(elevenSecondJob("first"));
        h.awaitJob("first", j -> phase(j, JobPhase.COMPLETED), T);
        h.core.flush(5_000);
        double used = instance("capped").getStatus().getUsage().getQuantumSeconds();
        assertThat(used).isBetween(11.0, 12.0);

        h.restart(() -> {
            QuantumInstance forged = instance("capped");
            var u = forged.getStatus().getUsage();
            u.setQuantumSeconds(0.0);
            u.setClosedQuantumSeconds(0.0);
            u.setRecentQuantumSeconds(0.0);
            // Also a made-up period start (now, off the period grid): the old restore then found "another period".
            u.setPeriodStart(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            client.resource(forged).updateStatus();
        });

        h.core.scheduler();
        h.core.flush(5_000);
        await().atMost(T).until(() -> instance("capped").getStatus().getUsage().getQuantumSeconds() >= used);
        var usage = instance("capped").getStatus().getUsage();
        assertThat(usage.getQuantumSeconds()).as("usage after the restart").isGreaterThanOrEqualTo(used);
        assertThat(usage.getRecentQuantumSeconds()).as("fair-share usage after the restart").isGreaterThan(10.0);
        // 11 of 20 left 9: the second job may start, and takes the instance to 22; the third must not run.
        h.applyInTurn("second", elevenSecondJob("second"));
        h.awaitJob("second", j -> phase(j, JobPhase.COMPLETED), T);
        h.apply(elevenSecondJob("third"));
        QuantumJob third = h.awaitJob("third", j -> j.getStatus() != null && j.getStatus().getPhase() != null
                && j.getStatus().getPhase().ordinal() >= JobPhase.COMPLETED.ordinal(), T);
        assertThat(third.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
        assertThat(third.getStatus().getReason()).isEqualTo("UsageLimitExceeded");
    }

    @Test
    void aSessionWhoseAnchorsWereMovedTo2036StillExpiresAtItsTrueDeadline() {
        h.apply(Manifests.backend("qpu", 1, 0.001));
        h.apply(Manifests.session("vqe", "qpu", null, "6s", "60s"));
        h.apply(Manifests.job("vqe-1", null, "sessionRef:\n    name: vqe"));
        h.awaitJob("vqe-1", j -> phase(j, JobPhase.COMPLETED), T);
        h.core.flush(5_000);
        var before = h.session("vqe").getStatus();
        assertThat(before.getPhase()).isEqualTo(WorkloadPhase.ACTIVE);
        assertThat(before.getLease()).isNotNull();

        h.restart(() -> {
            QuantumSession forged = h.session("vqe");
            var st = forged.getStatus();
            st.setStartedAt(Y2036);
            st.setMaxTTLDeadline("2036-01-01T00:00:06Z");
            st.setLastJobCompletedAt(Y2036);
            st.setInteractiveDeadline("2036-01-01T00:01:00Z");
            st.getLease().setAcquiredAt(Y2036);
            st.getLease().setUsageFrom(Y2036);
            st.getUsage().setQuantumSeconds(0.0);
            st.getUsage().setClosedQuantumSeconds(0.0);
            client.resource(forged).updateStatus();
        });

        h.core.scheduler();
        h.core.flush(5_000);
        await().atMost(T).until(() -> before.getStartedAt().equals(h.session("vqe").getStatus().getStartedAt()));
        var after = h.session("vqe").getStatus();
        assertThat(after.getMaxTTLDeadline()).as("computed from the spec's 6 s and the true first start")
                .isEqualTo(Instant.parse(before.getStartedAt()).plusSeconds(6).toString()).isEqualTo(before.getMaxTTLDeadline());
        if (after.getLease() != null) {
            assertThat(after.getLease().getAcquiredAt()).isEqualTo(before.getLease().getAcquiredAt());
            assertThat(after.getLease().getUsageFrom()).isEqualTo(before.getLease().getUsageFrom());
        }
        assertThat(after.getUsage().getQuantumSeconds()).isGreaterThanOrEqualTo(before.getUsage().getQuantumSeconds());
        await().atMost(T).until(() -> h.session("vqe").getStatus().getPhase() == WorkloadPhase.EXPIRED);
        assertThat(Instant.now()).as("expired no later than its true deadline allows")
                .isBefore(Instant.parse(before.getMaxTTLDeadline()).plusSeconds(10));
    }

    @Test
    void aRunningJobWhoseStopAtTheUsageLimitWasErasedIsStillStoppedThere() {
        // Wall clock = modelled time (time scale 1). The session's max TTL (2 s) ends while its 11 s job runs; the
        // instance's 10 s limit leaves it some seconds: it is to be stopped then (usageLimitStopAt), not at its end.
        h.apply(Manifests.backend("qpu", 1, 1.0));
        h.apply(Manifests.instance("capped", "payg", false).replace("default: false", "default: false\n  usageLimitSeconds: 10"));
        h.apply(Manifests.session("short", "qpu", "capped", "2s", "60s"));
        h.apply(elevenSecondJob("long").replace("instance: capped", "sessionRef:\n    name: short").replace("backend: qpu", ""));
        QuantumJob stopping = h.awaitJob("long", j -> phase(j, JobPhase.RUNNING) && j.getStatus().getUsageLimitStopAt() != null, T);
        h.core.flush(5_000);
        Instant stopAt = Instant.parse(h.job("long").getStatus().getUsageLimitStopAt());
        Instant startedAt = Instant.parse(stopping.getStatus().getStartedAt());
        assertThat(stopAt).as("before its 11 s end").isBefore(startedAt.plusSeconds(11));

        h.restart(() -> {
            QuantumJob forged = h.job("long");
            forged.getStatus().setUsageLimitStopAt(null);
            forged.getStatus().setStartedAt(Y2036);
            client.resource(forged).updateStatus();
        });

        QuantumJob done = h.awaitJob("long", j -> j.getStatus() != null && j.getStatus().getPhase() != null
                && j.getStatus().getPhase().ordinal() >= JobPhase.COMPLETED.ordinal(), T);
        assertThat(done.getStatus().getPhase()).as(done.getStatus().getMessage()).isEqualTo(JobPhase.CANCELLED);
        assertThat(done.getStatus().getReason()).isEqualTo("UsageLimitExceeded");
        assertThat(done.getStatus().getStartedAt()).as("its true start, not the forged one").isEqualTo(startedAt.toString());
        assertThat(Instant.parse(done.getStatus().getCompletedAt())).isBefore(stopAt.plusMillis(900));
    }

    @Test
    void theLedgerLivesInTheOperatorsNamespaceAndForgetsDeletedObjects() {
        h.apply(Manifests.backend("qpu", 1, 0.001));
        h.apply(Manifests.session("gone", "qpu", null, "1h", "60s"));
        h.apply(Manifests.job("gone-1", null, "sessionRef:\n    name: gone"));
        h.awaitJob("gone-1", j -> phase(j, JobPhase.COMPLETED), T);
        h.core.flush(5_000);
        String ns = Ledger.operatorNamespace(client);
        String key = Ledger.key(Ledger.Kind.WORKLOAD, Ids.session("default", "gone"));
        await().atMost(T).until(() -> ledgerHas(ns, key));

        h.restart(() -> {
            QuantumSession s = h.session("gone");
            s.getMetadata().setFinalizers(null);
            client.resource(s).update();
            client.resource(s).delete();
            await().atMost(T).until(() -> h.session("gone") == null);
        });
        h.core.scheduler();
        h.core.flush(5_000);
        await().atMost(T).until(() -> !ledgerHas(ns, key));
    }

    boolean ledgerHas(String ns, String key) {
        for (int s = 0; s < Ledger.SHARDS; s++) {
            ConfigMap cm = client.configMaps().inNamespace(ns).withName(Ledger.PREFIX + s).get();
            if (cm != null && cm.getData() != null && cm.getData().containsKey(key)) return true;
        }
        return false;
    }
}
