package io.kubeqpu.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.LeaseMode;
import io.kubeqpu.api.v1alpha1.WorkloadPhase;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Execution modes end to end: manifests in, statuses out, against the Fabric8 mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class OperatorScenariosTest {
    static final Duration T = Duration.ofSeconds(20);
    KubernetesClient client;
    OperatorHarness h;

    @BeforeEach
    void start() {
        h = new OperatorHarness(client);
        h.apply(Manifests.backend("qpu", 1, 0.001));
        h.apply(Manifests.instance("research", "premium", true));
        h.apply(Manifests.instance("students", "open", false));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void aSingleJobRunsAndItsResultIsAConfigMapItOwns() {
        h.apply(Manifests.job("bell", "qpu", ""));
        var job = h.awaitJob("bell", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, T);
        var st = job.getStatus();
        assertThat(st.getBackend()).isEqualTo("qpu");
        assertThat(st.getInstance()).isEqualTo("research");
        assertThat(st.getUsage().getQuantumSeconds()).isPositive();
        assertThat(st.getStartedAt()).isNotNull();
        assertThat(st.getObservedGeneration()).isEqualTo(job.getMetadata().getGeneration());
        assertThat(st.getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        org.awaitility.Awaitility.await().atMost(T).until(() -> h.job("bell").getStatus().getResultRef() != null);
        ConfigMap cm = client.configMaps().inNamespace("default").withName(h.job("bell").getStatus().getResultRef().getName()).get();
        assertThat(cm.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getName()).isEqualTo("bell"));
        assertThat(cm.getData().get("result.json")).contains("\"counts\"").contains("00").contains("11").doesNotContain("\"01\"");
    }

    @Test
    void aBadCircuitFailsWithAReasonAndOthersStillRun() {
        h.apply(Manifests.job("good", "qpu", ""));
        h.apply(Manifests.job("bad", "qpu", "").replace("h q[0];", "frobnicate q[0];"));
        var bad = h.awaitJob("bad", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.FAILED, T);
        assertThat(bad.getStatus().getReason()).isNotBlank();
        assertThat(bad.getStatus().getMessage()).contains("frobnicate");
        h.awaitJob("good", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, T);
    }

    @Test
    void aSessionHoldsAnExclusiveLeaseAndClosesWhenDone() {
        h.apply(Manifests.session("vqe", "qpu", null, "1h", "30s"));
        for (int k = 1; k <= 3; k++) h.applyInTurn("vqe-" + k, Manifests.job("vqe-" + k, null, "sessionRef:\n    name: vqe"));
        for (int k = 1; k <= 3; k++)
            h.awaitJob("vqe-" + k, j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, T);
        var active = h.session("vqe").getStatus();
        assertThat(active.getPhase()).isEqualTo(WorkloadPhase.ACTIVE);
        assertThat(active.getLease().getMode()).isEqualTo(LeaseMode.EXCLUSIVE);
        assertThat(active.getStartedAt()).isNotNull();
        assertThat(active.getMaxTTLDeadline()).isNotNull();
        assertThat(h.job("vqe-1").getStatus().getMode().name()).isEqualTo("SESSION");
        var backend = client.resources(io.kubeqpu.api.v1alpha1.QuantumBackend.class).withName("qpu").get();
        org.awaitility.Awaitility.await().atMost(T).until(() -> client.resources(io.kubeqpu.api.v1alpha1.QuantumBackend.class)
                .withName("qpu").get().getStatus().getLease() != null);

        OperatorHarness.closeSession(client, "vqe");
        org.awaitility.Awaitility.await().atMost(T).until(() -> h.session("vqe").getStatus().getPhase() == WorkloadPhase.CLOSED);
        assertThat(h.session("vqe").getStatus().getLease()).isNull();
        org.awaitility.Awaitility.await().atMost(T).until(() -> client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "vqe".equals(e.getInvolvedObject().getName())).map(e -> e.getReason()).toList()
                .containsAll(java.util.List.of("LeaseAcquired", "LeaseReleased", "AllJobsDone")));
        assertThat(client.v1().events().inNamespace("default").list().getItems()).anySatisfy(e -> {
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("QuantumBackend");
            assertThat(e.getReason()).isEqualTo("LeaseAcquired");
        });
        h.apply(Manifests.job("late", null, "sessionRef:\n    name: vqe"));
        var late = h.awaitJob("late", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.FAILED, T);
        assertThat(late.getStatus().getReason()).isEqualTo("WorkloadClosed");
    }

    @Test
    void anOpenPlanSessionIsRejected() {
        h.apply(Manifests.session("cheap", "qpu", "students", "1h", "60s"));
        org.awaitility.Awaitility.await().atMost(T).until(() -> h.session("cheap").getStatus() != null
                && h.session("cheap").getStatus().getPhase() == WorkloadPhase.REJECTED);
        assertThat(h.session("cheap").getStatus().getReason()).isEqualTo("PlanNotAllowed");
    }

    @Test
    void aBatchCreatesItsJobsAndRunsThemAll() {
        StringBuilder templates = new StringBuilder();
        for (int k = 0; k < 10; k++)
            templates.append(Manifests.template("rx-" + k, 50,
                    "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ncreg c[1];\nrx(" + (k * 0.3) + ") q[0];\nmeasure q[0] -> c[0];"));
        h.apply(Manifests.closedBatch("sweep", "qpu", templates.toString()));
        org.awaitility.Awaitility.await().atMost(T).until(() -> {
            var b = h.batch("sweep");
            return b.getStatus() != null && b.getStatus().getPhase() == WorkloadPhase.CLOSED;
        });
        var st = h.batch("sweep").getStatus();
        assertThat(st.getJobs().getCompleted()).isEqualTo(10);
        assertThat(st.getUsage().getQuantumSeconds()).isPositive();
        assertThat(h.job("sweep-rx-3").getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("QuantumBatch"));
    }

    @Test
    void aBatchSharesTheBackendWithAnotherInstancesJob() {
        // Two slots, ~1 s jobs (2 s of QPU time at time scale 0.5). Alone, the batch would take both slots until its
        // last job ends; another instance's job applied meanwhile gets the first slot a batch job frees (DESIGN §3.3).
        h.apply(Manifests.backend("wide", 2, 0.5));
        h.apply(Manifests.instance("team-b", "premium", false));
        StringBuilder templates = new StringBuilder();
        for (int k = 0; k < 10; k++) templates.append(Manifests.template("p-" + k, 100, Manifests.BELL));
        h.apply(Manifests.closedBatch("many", "wide", templates.toString()));
        h.awaitJob("many-p-0", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.RUNNING
                || j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, T);
        h.apply(Manifests.job("other", "wide", "instance: team-b"));
        var other = h.awaitJob("other", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.RUNNING
                || j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, Duration.ofSeconds(60));
        // It ran while the batch still had jobs to run, not after it.
        assertThat(h.batch("many").getStatus().getPhase()).isEqualTo(WorkloadPhase.ACTIVE);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> h.batch("many").getStatus().getPhase() == WorkloadPhase.CLOSED);
        assertThat(h.batch("many").getStatus().getJobs().getCompleted()).isEqualTo(10);
        java.time.Instant otherStarted = java.time.Instant.parse(other.getStatus().getStartedAt());
        java.time.Instant batchEnded = java.util.stream.IntStream.range(0, 10)
                .mapToObj(k -> java.time.Instant.parse(h.job("many-p-" + k).getStatus().getCompletedAt()))
                .max(java.time.Instant::compareTo).orElseThrow();
        assertThat(otherStarted).as("the other instance's job started before the batch's last job ended").isBefore(batchEnded.minusSeconds(1));
        assertThat(h.awaitJob("other", j -> j.getStatus().getPhase() == JobPhase.COMPLETED, T).getStatus().getReason()).isNull();
    }

    @Test
    void deletingASessionCancelsItsUnfinishedJobs() {
        h.apply(Manifests.backend("slow", 1, 5.0));
        h.apply(Manifests.session("s", "slow", null, "1h", "60s"));
        // ~30 s each on the QPU, so that s-1 is still running when the session is deleted (a loaded CI machine can take
        // seconds to show Running: a 6 s job had finished before the delete in some runs). Both are known to the session before it is deleted (a job that arrives after its session is gone waits
        // for it to appear instead), and s-1 was seen first so it is the one running (DESIGN §3.11).
        h.applyInTurn("s-1", Manifests.job("s-1", null, "sessionRef:\n    name: s").replace("shots: 100", "shots: 20000"));
        h.applyInTurn("s-2", Manifests.job("s-2", null, "sessionRef:\n    name: s").replace("shots: 100", "shots: 20000"));
        h.awaitJob("s-1", j -> j.getStatus().getPhase() == JobPhase.RUNNING, T);
        client.resource(h.session("s")).delete();
        for (String name : java.util.List.of("s-1", "s-2")) {
            h.awaitJob(name, j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.CANCELLED, T);
            assertThat(h.job(name).getStatus().getReason()).isEqualTo("WorkloadCancelled");
        }
    }

    @Test
    void aJobWaitingForItsSessionSaysWhatItWaitsForAndUntilWhenThenRunsWhenItAppears() {
        h.apply(Manifests.job("early", null, "sessionRef:\n    name: later"));
        var pending = h.awaitJob("early", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.PENDING, T);
        assertThat(pending.getStatus().getReason()).isEqualTo("WaitingForReference");
        assertThat(pending.getStatus().getMessage()).contains("waiting for QuantumSession later to exist; fails at 20");
        assertThat(pending.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("WaitingForReference");
            assertThat(c.getMessage()).contains("QuantumSession later");
        });

        h.apply(Manifests.session("later", "qpu", null, "1h", "30s"));
        var done = h.awaitJob("early", j -> j.getStatus().getPhase() == JobPhase.COMPLETED, T);
        assertThat(done.getStatus().getReason()).isNull();
        assertThat(done.getStatus().getMessage()).isNull();
        assertThat(done.getStatus().getMode().name()).isEqualTo("SESSION");
    }

    @Test
    void aBackendEditedToMoreQubitsRunsTheWiderCircuitOnItsQpu() {
        String six = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[6] q;\nbit[6] c;\nx q[5];\nc = measure q;";
        h.apply(Manifests.backend("grow", 1, 0.001));
        h.apply(Manifests.job("wide-1", "grow", "").replace(Manifests.indent(Manifests.BELL, 10), Manifests.indent(six, 10)));
        var refused = h.awaitJob("wide-1", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.FAILED, T);
        assertThat(refused.getStatus().getReason()).isEqualTo("CircuitTooWide");

        h.apply(Manifests.backend("grow", 1, 0.001).replace("numQubits: 5", "numQubits: 7"));
        org.awaitility.Awaitility.await().atMost(T).until(() -> h.core.fleet().device("grow")
                .map(d -> d.backend().numQubits() == 7).orElse(false));
        h.apply(Manifests.job("wide-2", "grow", "").replace(Manifests.indent(Manifests.BELL, 10), Manifests.indent(six, 10)));
        var done = h.awaitJob("wide-2", j -> j.getStatus() != null && j.getStatus().getPhase() != null
                && j.getStatus().getPhase() != JobPhase.QUEUED && j.getStatus().getPhase() != JobPhase.RUNNING, T);
        assertThat(done.getStatus().getPhase()).as(done.getStatus().getReason() + ": " + done.getStatus().getMessage())
                .isEqualTo(JobPhase.COMPLETED);
    }

    @Test
    void queuedJobsShowTheirPositionAndEstimatedStart() {
        h.apply(Manifests.backend("slow", 1, 1.0));
        for (int k = 1; k <= 4; k++) h.applyInTurn("q" + k, Manifests.job("q" + k, "slow", "")); // q4 is seen last
        var q4 = h.awaitJob("q4", j -> j.getStatus() != null && j.getStatus().getQueuePosition() != null
                && j.getStatus().getEstimatedStartAt() != null, T);
        assertThat(q4.getStatus().getPhase()).isEqualTo(JobPhase.QUEUED);
        assertThat(q4.getStatus().getQueuePosition()).isBetween(1, 3);
        assertThat(java.time.Instant.parse(q4.getStatus().getEstimatedStartAt())).isAfter(java.time.Instant.now().minusSeconds(1));
        var q1 = h.awaitJob("q1", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, T);
        assertThat(q1.getStatus().getQueuePosition()).isNull();
    }

    @Test
    void anIdleSessionIsDeactivatedAndALaterJobReactivatesIt() {
        h.apply(Manifests.session("idle", "qpu", null, "1h", "1s"));
        h.apply(Manifests.job("idle-1", null, "sessionRef:\n    name: idle"));
        h.awaitJob("idle-1", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, T);
        org.awaitility.Awaitility.await().atMost(T).until(() -> h.session("idle").getStatus().getPhase() == WorkloadPhase.INACTIVE);
        var inactive = h.session("idle").getStatus();
        assertThat(inactive.getReason()).isEqualTo("InteractiveTTLExpired");
        assertThat(inactive.getLease()).isNull();
        h.apply(Manifests.job("idle-2", null, "sessionRef:\n    name: idle"));
        h.awaitJob("idle-2", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, T);
        assertThat(h.session("idle").getStatus().getStartedAt()).isEqualTo(inactive.getStartedAt());
    }

    @Test
    void atMaxTTLTheSessionExpiresAndItsQueuedJobsFail() {
        h.apply(Manifests.backend("slow", 1, 1.0));
        h.apply(Manifests.session("short", "slow", null, "2s", "1s"));
        for (int k = 1; k <= 4; k++) h.applyInTurn("short-" + k, Manifests.job("short-" + k, null, "sessionRef:\n    name: short"));
        org.awaitility.Awaitility.await().atMost(T).until(() -> h.session("short").getStatus() != null
                && h.session("short").getStatus().getPhase() == WorkloadPhase.EXPIRED);
        var last = h.awaitJob("short-4", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.FAILED, T);
        assertThat(last.getStatus().getReason()).isEqualTo("MaxTTLExpired");
        assertThat(h.session("short").getStatus().getReason()).isEqualTo("MaxTTLExpired");
        // In the user's words: the session's name and its TTL as written, not "session:default/short" or "PT2S".
        assertThat(last.getStatus().getMessage()).isEqualTo("session short reached its max TTL of 2s");
        assertThat(h.session("short").getStatus().getMessage()).isEqualTo("session short reached its max TTL of 2s");
        assertThat(java.time.Duration.between(java.time.Instant.parse(h.session("short").getStatus().getStartedAt()),
                java.time.Instant.parse(h.session("short").getStatus().getMaxTTLDeadline()))).isEqualTo(java.time.Duration.ofSeconds(2));
    }

    @Test
    void anInstanceOverItsUsageLimitGetsNoNewDispatches() {
        h.apply(Manifests.instance("tiny", "payg", false).replace("default: false", "default: false\n  usageLimitSeconds: 1"));
        h.apply(Manifests.job("t1", "qpu", "instance: tiny"));
        h.awaitJob("t1", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, T);
        h.apply(Manifests.job("t2", "qpu", "instance: tiny"));
        var t2 = h.awaitJob("t2", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.FAILED, T);
        assertThat(t2.getStatus().getReason()).isEqualTo("UsageLimitExceeded");
    }

    @Test
    void theBackendCalibratesBetweenJobs() {
        // 20 s interval and 10 s duration at time scale 0.05: a 1 s cadence with 0.5 s calibrations.
        h.apply(Manifests.backend("cal", 1, 0.05).replace("interval: \"0s\"", "interval: \"20s\"").replace("duration: \"0s\"", "duration: \"10s\""));
        org.awaitility.Awaitility.await().atMost(T).until(() -> {
            var b = client.resources(io.kubeqpu.api.v1alpha1.QuantumBackend.class).withName("cal").get();
            return b.getStatus() != null && b.getStatus().getLastCalibrationAt() != null;
        });
        h.apply(Manifests.job("c1", "cal", ""));
        h.awaitJob("c1", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, T);
        org.awaitility.Awaitility.await().atMost(T).until(() -> client.v1().events().inNamespace("default").list().getItems()
                .stream().anyMatch(e -> "CalibrationStarted".equals(e.getReason()) && "cal".equals(e.getInvolvedObject().getName())));
    }
}
