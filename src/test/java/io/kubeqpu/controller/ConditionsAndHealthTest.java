package io.kubeqpu.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.ObservedStatus;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.api.v1alpha1.QuantumBatch;
import io.kubeqpu.api.v1alpha1.QuantumInstance;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.WorkloadPhase;
import io.kubeqpu.health.ArgoHealth;
import io.kubeqpu.health.HealthTestdata;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Conditions as a script reads them through the API (batch/v1 Job and Kueue Workload conventions), and the Argo CD
 * health scripts run on the very objects the operator wrote (with lua5.1 installed; the condition checks run
 * regardless). With KUBEQPU_UPDATE_HEALTH_TESTDATA=true each state is saved as a case of HealthScriptsTest.
 */
@EnableKubernetesMockClient(crud = true)
class ConditionsAndHealthTest {
    static final Duration T = Duration.ofSeconds(30);
    static final Optional<Path> LUA = ArgoHealth.lua();
    KubernetesClient client;
    OperatorHarness h;

    @BeforeEach
    void start() {
        h = new OperatorHarness(client);
        h.apply(Manifests.backend("qpu", 2, 0.001));
        h.apply(Manifests.instance("research", "premium", true));
        h.apply(Manifests.instance("students", "open", false));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    static Condition cond(HasMetadata o, String type) {
        ObservedStatus st = (ObservedStatus) ((io.fabric8.kubernetes.client.CustomResource<?, ?>) o).getStatus();
        if (st == null || st.getConditions() == null) return null;
        return st.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    static void hasCondition(HasMetadata o, String type, String status, String reason) {
        Condition c = cond(o, type);
        assertThat(c).as("%s %s condition %s", o.getKind(), o.getMetadata().getName(), type).isNotNull();
        assertThat(c.getStatus()).as("%s %s %s status", o.getKind(), o.getMetadata().getName(), type).isEqualTo(status);
        if (reason != null) assertThat(c.getReason()).as("%s %s %s reason", o.getKind(), o.getMetadata().getName(), type).isEqualTo(reason);
        assertThat(c.getObservedGeneration()).isEqualTo(o.getMetadata().getGeneration());
        assertThat(c.getLastTransitionTime()).isNotBlank();
        assertThat(c.getMessage()).isNotNull();
    }

    /** The object's Argo CD health is {@code expected}; saved as a test case when asked. */
    static void health(HasMetadata o, String state, String expected) {
        if (LUA.isEmpty()) return;
        ArgoHealth.Health got = ArgoHealth.of(LUA.get(), o.getKind(), o);
        assertThat(got.status()).as("%s %s (%s): %s", o.getKind(), o.getMetadata().getName(), state, got.message()).isEqualTo(expected);
        if (HealthTestdata.updateRequested()) HealthTestdata.record(o.getKind(), state, o, expected, got.message());
    }

    <T extends HasMetadata> T awaitObject(Class<T> type, String name, Predicate<T> p) {
        await().atMost(T).pollInterval(Duration.ofMillis(20)).until(() -> {
            T o = type == QuantumBackend.class ? client.resources(type).withName(name).get()
                    : client.resources(type).inNamespace("default").withName(name).get();
            return o != null && p.test(o);
        });
        return type == QuantumBackend.class ? client.resources(type).withName(name).get()
                : client.resources(type).inNamespace("default").withName(name).get();
    }

    static boolean is(HasMetadata o, String type, String status) {
        Condition c = cond(o, type);
        return c != null && status.equals(c.getStatus());
    }

    @Test
    void aJobIsFinishedEitherWayAndReadyOnlyWhenItCompleted() {
        QuantumJob fresh = client.getKubernetesSerialization().unmarshal(Manifests.job("fresh", "qpu", ""), QuantumJob.class);
        fresh.getMetadata().setNamespace("default");
        fresh.getMetadata().setGeneration(1L);
        health(fresh, "no-status-yet", "Progressing");

        h.apply(Manifests.job("bell", "qpu", ""));
        h.apply(Manifests.job("bad", "qpu", "").replace("h q[0];", "frobnicate q[0];"));
        QuantumJob bell = h.awaitJob("bell", j -> j.getStatus() != null && j.getStatus().getResultRef() != null, T);
        hasCondition(bell, "Finished", "True", "Succeeded");
        hasCondition(bell, "Ready", "True", "Succeeded");
        hasCondition(bell, "Stalled", "False", null);
        hasCondition(bell, "Reconciling", "False", "Steady");
        health(bell, "completed", "Healthy");

        QuantumJob bad = h.awaitJob("bad", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.FAILED, T);
        hasCondition(bad, "Finished", "True", "Failed");
        hasCondition(bad, "Ready", "False", bad.getStatus().getReason());
        hasCondition(bad, "Stalled", "True", null);
        assertThat(cond(bad, "Finished").getMessage()).contains("frobnicate");
        health(bad, "failed-bad-circuit", "Degraded");

        // The same object once its spec changed and the operator has not looked yet: nothing it says is current.
        bell.getMetadata().setGeneration(bell.getMetadata().getGeneration() + 1);
        health(bell, "generation-not-observed", "Progressing");
    }

    @Test
    void queuedRunningAndCancelledJobs() {
        h.apply(Manifests.backend("slow", 1, 1.0));
        h.apply(Manifests.session("s", "slow", null, "1h", "60s"));
        // ~6 s each on the QPU: s-1 is still running and s-2 queued behind it when they are looked at.
        h.applyInTurn("s-1", Manifests.job("s-1", null, "sessionRef:\n    name: s").replace("shots: 100", "shots: 20000"));
        h.apply(Manifests.job("s-2", null, "sessionRef:\n    name: s").replace("shots: 100", "shots: 20000"));
        QuantumJob running = h.awaitJob("s-1", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.RUNNING
                && is(j, "Finished", "False"), T);
        hasCondition(running, "Finished", "False", "Running");
        hasCondition(running, "Ready", "False", "Running");
        hasCondition(running, "Reconciling", "True", "Running");
        health(running, "running", "Progressing");
        QuantumJob queued = h.awaitJob("s-2", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.QUEUED
                && is(j, "Finished", "False"), T);
        hasCondition(queued, "Finished", "False", "Queued");
        health(queued, "queued", "Progressing");
        assertThat(h.job("s-2").getMetadata().getLabels()).containsEntry("quantum.kubeqpu.io/session", "s");

        var session = awaitObject(io.kubeqpu.api.v1alpha1.QuantumSession.class, "s", o -> is(o, "Active", "True"));
        hasCondition(session, "Active", "True", "Active");
        hasCondition(session, "Ready", "True", null);
        hasCondition(session, "Finished", "False", null);
        health(session, "active", "Healthy");

        client.resource(h.session("s")).delete();
        QuantumJob cancelled = h.awaitJob("s-1", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.CANCELLED
                && is(j, "Finished", "True"), T);
        hasCondition(cancelled, "Finished", "True", "Cancelled");
        hasCondition(cancelled, "Ready", "False", null);
        hasCondition(cancelled, "Stalled", "False", null);
        health(cancelled, "cancelled", "Degraded");
    }

    @Test
    void aBatchWhoseJobsAllFailedIsNotReady() {
        h.apply(batch("broken", "frobnicate q[0];", 3));
        QuantumBatch broken = awaitObject(QuantumBatch.class, "broken", b -> b.getStatus() != null
                && b.getStatus().getPhase() == WorkloadPhase.CLOSED && is(b, "Finished", "True"));
        assertThat(broken.getStatus().getJobs().getFailed()).isEqualTo(3);
        hasCondition(broken, "Finished", "True", "Failed");
        hasCondition(broken, "Ready", "False", "JobsFailed");
        hasCondition(broken, "Stalled", "True", null);
        hasCondition(broken, "Active", "False", null);
        health(broken, "closed-all-jobs-failed", "Degraded");

        h.apply(batch("sweep", "h q[0];", 3));
        QuantumBatch sweep = awaitObject(QuantumBatch.class, "sweep", b -> b.getStatus() != null
                && b.getStatus().getPhase() == WorkloadPhase.CLOSED && is(b, "Finished", "True"));
        hasCondition(sweep, "Finished", "True", "Succeeded");
        hasCondition(sweep, "Ready", "True", "Succeeded");
        health(sweep, "closed-all-jobs-completed", "Healthy");
        assertThat(client.resources(QuantumJob.class).inNamespace("default").withLabel("quantum.kubeqpu.io/batch", "sweep")
                .list().getItems()).hasSize(3);
    }

    @Test
    void aBatchInProgressIsProgressing() {
        h.apply(Manifests.backend("slow", 1, 1.0));
        h.apply(batch("long", "h q[0];", 2).replace("backend: qpu", "backend: slow").replace("shots: 50", "shots: 20000"));
        QuantumBatch active = awaitObject(QuantumBatch.class, "long", b -> b.getStatus() != null
                && b.getStatus().getPhase() == WorkloadPhase.ACTIVE && is(b, "Active", "True"));
        hasCondition(active, "Finished", "False", "Active");
        hasCondition(active, "Reconciling", "True", "Active");
        health(active, "active-running-jobs", "Progressing");
    }

    @Test
    void sessions() {
        h.apply(Manifests.session("cheap", "qpu", "students", "1h", "60s"));
        var rejected = awaitObject(io.kubeqpu.api.v1alpha1.QuantumSession.class, "cheap", s -> s.getStatus() != null
                && s.getStatus().getPhase() == WorkloadPhase.REJECTED && is(s, "Finished", "True"));
        hasCondition(rejected, "Finished", "True", "Rejected");
        hasCondition(rejected, "Ready", "False", "PlanNotAllowed");
        hasCondition(rejected, "Stalled", "True", null);
        health(rejected, "rejected", "Degraded");

        // Reaching max TTL is how a session ends: no job failed, so it is Finished, Succeeded, and healthy.
        h.apply(Manifests.session("short", "qpu", null, "2s", "1s"));
        h.apply(Manifests.job("short-1", null, "sessionRef:\n    name: short"));
        var expired = awaitObject(io.kubeqpu.api.v1alpha1.QuantumSession.class, "short", s -> s.getStatus() != null
                && s.getStatus().getPhase() == WorkloadPhase.EXPIRED && is(s, "Finished", "True"));
        hasCondition(expired, "Finished", "True", "Succeeded");
        hasCondition(expired, "Ready", "True", null);
        health(expired, "expired-max-ttl", "Healthy");

        // While another session holds the backend's exclusive lease, this one waits.
        h.apply(Manifests.session("first", "qpu", null, "1h", "60s"));
        h.apply(Manifests.job("first-1", null, "sessionRef:\n    name: first"));
        awaitObject(io.kubeqpu.api.v1alpha1.QuantumSession.class, "first", s -> is(s, "Active", "True"));
        h.apply(Manifests.session("second", "qpu", null, "1h", "60s"));
        h.apply(Manifests.job("second-1", null, "sessionRef:\n    name: second"));
        var pending = awaitObject(io.kubeqpu.api.v1alpha1.QuantumSession.class, "second", s -> s.getStatus() != null
                && s.getStatus().getPhase() == WorkloadPhase.PENDING && is(s, "Finished", "False"));
        hasCondition(pending, "Ready", "False", "Pending");
        hasCondition(pending, "Reconciling", "True", "Pending");
        health(pending, "pending-backend-leased", "Progressing");

        OperatorHarness.closeSession(client, "first");
        var closed = awaitObject(io.kubeqpu.api.v1alpha1.QuantumSession.class, "first", s -> s.getStatus() != null
                && s.getStatus().getPhase() == WorkloadPhase.CLOSED && is(s, "Finished", "True")
                && s.getStatus().getObservedGeneration().equals(s.getMetadata().getGeneration()));
        hasCondition(closed, "Finished", "True", "Succeeded");
        health(closed, "closed", "Healthy");
    }

    @Test
    void aSessionANewJobReactivatedSaysSoInItsStatusConditionAndEvent() {
        h.apply(Manifests.session("idle", "qpu", null, "1h", "3s"));
        h.apply(Manifests.job("idle-1", null, "sessionRef:\n    name: idle"));
        var first = awaitObject(io.kubeqpu.api.v1alpha1.QuantumSession.class, "idle", s -> s.getStatus() != null
                && s.getStatus().getPhase() == WorkloadPhase.ACTIVE);
        assertThat(first.getStatus().getReason()).isNull();
        hasCondition(first, "Active", "True", "Active");
        awaitObject(io.kubeqpu.api.v1alpha1.QuantumSession.class, "idle", s -> s.getStatus().getPhase() == WorkloadPhase.INACTIVE);

        h.apply(Manifests.job("idle-2", null, "sessionRef:\n    name: idle"));
        var again = awaitObject(io.kubeqpu.api.v1alpha1.QuantumSession.class, "idle", s -> s.getStatus().getPhase() == WorkloadPhase.ACTIVE);
        assertThat(again.getStatus().getReason()).isEqualTo("Reactivated");
        assertThat(again.getStatus().getMessage()).isEqualTo("reactivated by a new job");
        hasCondition(again, "Active", "True", "Reactivated");
        assertThat(cond(again, "Active").getMessage()).startsWith("reactivated by a new job; holds its exclusive lease on qpu");
        await().atMost(T).until(() -> client.v1().events().inNamespace("default").list().getItems().stream()
                .anyMatch(e -> "idle".equals(e.getInvolvedObject().getName()) && "Reactivated".equals(e.getReason())
                        && e.getMessage().contains("reactivated by a new job")));
    }

    @Test
    void anExpiredSessionWhoseQueuedJobsFailedIsDegraded() {
        h.apply(Manifests.backend("slow", 1, 1.0));
        h.apply(Manifests.session("short", "slow", null, "2s", "1s"));
        for (int k = 1; k <= 4; k++) h.applyInTurn("short-" + k, Manifests.job("short-" + k, null, "sessionRef:\n    name: short"));
        h.awaitJob("short-4", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.FAILED, T);
        var expired = awaitObject(io.kubeqpu.api.v1alpha1.QuantumSession.class, "short", s -> s.getStatus() != null
                && s.getStatus().getPhase() == WorkloadPhase.EXPIRED && s.getStatus().getJobs().getFailed() > 0
                && is(s, "Finished", "True") && s.getStatus().getJobs().getRunning() == 0);
        hasCondition(expired, "Finished", "True", "Failed");
        hasCondition(expired, "Ready", "False", "JobsFailed");
        health(expired, "expired-queued-jobs-failed", "Degraded");
    }

    @Test
    void backendsAreAvailableAndShowCalibrations() {
        QuantumBackend qpu = awaitObject(QuantumBackend.class, "qpu", b -> is(b, "Available", "True"));
        hasCondition(qpu, "Available", "True", "Available");
        hasCondition(qpu, "Ready", "True", "Available");
        hasCondition(qpu, "Calibrating", "False", null);
        health(qpu, "available", "Healthy");

        // 40 s interval and 30 s duration at time scale 0.05: 1.5 s calibrations every 2 s.
        h.apply(Manifests.backend("cal", 1, 0.05).replace("interval: \"0s\"", "interval: \"40s\"").replace("duration: \"0s\"", "duration: \"30s\""));
        QuantumBackend cal = awaitObject(QuantumBackend.class, "cal", b -> is(b, "Calibrating", "True"));
        hasCondition(cal, "Calibrating", "True", "CalibrationRunning");
        health(cal, "calibrating", "Healthy");

        // Pods that are not ready (cluster mode; the in-process QPU is always ready): the status the writer would
        // write for it, with the real condition code.
        QuantumBackend notReady = client.resources(QuantumBackend.class).withName("qpu").get();
        notReady.getStatus().setAvailable(false);
        notReady.getStatus().setSimulatorReady(false);
        notReady.getStatus().setConditions(Conditions.of(notReady.getStatus(), notReady.getStatus().getConditions(), false,
                "Unavailable", null, notReady.getMetadata().getGeneration(), java.time.Instant.parse("2026-11-30T00:00:00Z")));
        hasCondition(notReady, "Available", "False", "SimulatorNotReady");
        health(notReady, "simulator-not-ready", "Progressing");
    }

    @Test
    void anInstanceOverItsUsageLimitSaysSo() {
        QuantumInstance research = awaitObject(QuantumInstance.class, "research", i -> is(i, "Ready", "True"));
        hasCondition(research, "UsageLimitExceeded", "False", "WithinLimit");
        health(research, "within-limit", "Healthy");

        h.apply(Manifests.instance("tiny", "payg", false).replace("default: false", "default: false\n  usageLimitSeconds: 1"));
        h.apply(Manifests.job("t1", "qpu", "instance: tiny"));
        h.awaitJob("t1", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, T);
        QuantumInstance tiny = awaitObject(QuantumInstance.class, "tiny", i -> is(i, "UsageLimitExceeded", "True"));
        hasCondition(tiny, "UsageLimitExceeded", "True", "UsageLimitExceeded");
        hasCondition(tiny, "Ready", "False", "UsageLimitExceeded");
        assertThat(cond(tiny, "UsageLimitExceeded").getMessage()).contains("of 1.0 quantum seconds used");
        health(tiny, "over-usage-limit", "Degraded");
    }

    @Test
    void eventsNameTheirObjectsUidAndRepeatsAreAggregated() {
        h.apply(Manifests.job("bell", "qpu", ""));
        QuantumJob bell = h.awaitJob("bell", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, T);
        await().atMost(T).until(() -> client.v1().events().inNamespace("default").list().getItems().stream()
                .anyMatch(e -> "bell".equals(e.getInvolvedObject().getName())));
        var e = client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(x -> "bell".equals(x.getInvolvedObject().getName())).findFirst().orElseThrow();
        assertThat(e.getInvolvedObject().getUid()).isEqualTo(bell.getMetadata().getUid());
        assertThat(e.getReportingComponent()).isEqualTo("quantum.kubeqpu.io/operator");
        assertThat(e.getReportingInstance()).isNotBlank();

        // Calibrations every 2 s: one Event per backend and reason whose count grows, not one Event each.
        h.apply(Manifests.backend("cal", 1, 0.05).replace("interval: \"0s\"", "interval: \"40s\"").replace("duration: \"0s\"", "duration: \"30s\""));
        await().atMost(T).until(() -> client.v1().events().inNamespace("default").list().getItems().stream()
                .anyMatch(x -> "cal".equals(x.getInvolvedObject().getName()) && "CalibrationStarted".equals(x.getReason())
                        && x.getCount() != null && x.getCount() >= 3));
        String calUid = client.resources(QuantumBackend.class).withName("cal").get().getMetadata().getUid();
        var started = client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(x -> "cal".equals(x.getInvolvedObject().getName()) && "CalibrationStarted".equals(x.getReason())).toList();
        assertThat(started).hasSize(1);
        assertThat(started.get(0).getInvolvedObject().getUid()).isEqualTo(calUid);
        assertThat(started.get(0).getLastTimestamp()).isGreaterThan(started.get(0).getFirstTimestamp());
    }

    static String batch(String name, String gate, int n) {
        StringBuilder templates = new StringBuilder();
        for (int k = 0; k < n; k++)
            templates.append(Manifests.template("j" + k, 50,
                    "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ncreg c[1];\n" + gate + "\nmeasure q[0] -> c[0];"));
        return Manifests.closedBatch(name, "qpu", templates.toString());
    }
}
