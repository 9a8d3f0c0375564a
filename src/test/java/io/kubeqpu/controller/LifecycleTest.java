package io.kubeqpu.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.api.v1alpha1.QuantumInstance;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.QuantumSession;
import io.kubeqpu.api.v1alpha1.WorkloadPhase;
import io.kubeqpu.scheduler.Decision;
import io.kubeqpu.simulator.BackendProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle a cluster puts objects through, as GitOps and kubectl users do it: names reused after a delete,
 * deletion of every kind, and operator restarts as a new process (a fresh fleet with its own HTTP clients) against QPUs
 * that outlive it. Each test is named after a failure seen on a cluster.
 */
@EnableKubernetesMockClient(crud = true)
class LifecycleTest {
    static final Duration T = Duration.ofSeconds(30);
    KubernetesClient client;
    HttpQpus qpus;
    OperatorHarness h;
    final Map<String, Integer> starts = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        qpus = new HttpQpus();
        h = OperatorHarness.withFreshFleets(client, qpus::newFleet);
        h.onEachStart(core -> core.observe((List<Decision> ds) -> ds.forEach(d -> {
            if (d instanceof Decision.StartJob s) starts.merge(s.job(), 1, Integer::sum);
        })));
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

    QuantumJob awaitCompletedWithResult(String name) {
        return h.awaitJob(name, j -> phase(j, JobPhase.COMPLETED) && j.getStatus().getResultRef() != null, T);
    }

    void deleteAndAwaitGone(Class<? extends io.fabric8.kubernetes.client.CustomResource<?, ?>> type, String name) {
        client.resources(type).inNamespace("default").withName(name).delete();
        await().atMost(T).until(() -> client.resources(type).inNamespace("default").withName(name).get() == null);
    }

    @Test
    void aJobDeletedAndReappliedUnderItsNameRunsAsANewJobAndTheQueueKeepsMoving() {
        h.apply(Manifests.backend("qpu", 1, 0.01));
        h.apply(Manifests.job("bell", "qpu", ""));
        String firstUid = awaitCompletedWithResult("bell").getMetadata().getUid();

        deleteAndAwaitGone(QuantumJob.class, "bell");
        h.apply(Manifests.job("bell", "qpu", ""));
        QuantumJob again = awaitCompletedWithResult("bell");
        assertThat(again.getMetadata().getUid()).isNotEqualTo(firstUid);
        assertThat(client.configMaps().inNamespace("default").withName(again.getStatus().getResultRef().getName()).get()
                .getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(again.getMetadata().getUid());

        h.apply(Manifests.job("bystander", "qpu", ""));
        awaitCompletedWithResult("bystander");
    }

    @Test
    void aSessionDeletedAndReappliedUnderItsNameIsANewSession() {
        h.apply(Manifests.backend("qpu", 1, 0.01));
        h.apply(Manifests.session("vqe", "qpu", null, "1h", "60s"));
        h.apply(Manifests.job("vqe-1", null, "sessionRef:\n    name: vqe"));
        awaitCompletedWithResult("vqe-1");

        deleteAndAwaitGone(QuantumSession.class, "vqe");
        h.apply(Manifests.session("vqe", "qpu", null, "1h", "60s"));
        h.apply(Manifests.job("vqe-2", null, "sessionRef:\n    name: vqe"));
        awaitCompletedWithResult("vqe-2");
        await().atMost(T).until(() -> h.session("vqe").getStatus() != null && h.session("vqe").getStatus().getJobs() != null
                && Integer.valueOf(1).equals(h.session("vqe").getStatus().getJobs().getCompleted()));
        assertThat(h.session("vqe").getStatus().getPhase()).isIn(WorkloadPhase.ACTIVE, WorkloadPhase.INACTIVE);
    }

    @Test
    void aBatchDeletedAndReappliedUnderItsNameIsANewBatch() {
        h.apply(Manifests.backend("qpu", 1, 0.01));
        String batch = """
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumBatch
                metadata:
                  name: sweep
                spec:
                  backend: qpu
                  maxTTL: "1h"
                """;
        h.apply(batch);
        h.apply(Manifests.job("sweep-1", null, "batchRef:\n    name: sweep"));
        awaitCompletedWithResult("sweep-1");

        deleteAndAwaitGone(io.kubeqpu.api.v1alpha1.QuantumBatch.class, "sweep");
        h.apply(batch);
        h.apply(Manifests.job("sweep-2", null, "batchRef:\n    name: sweep"));
        awaitCompletedWithResult("sweep-2");
        await().atMost(T).until(() -> h.batch("sweep").getStatus() != null && h.batch("sweep").getStatus().getJobs() != null
                && Integer.valueOf(1).equals(h.batch("sweep").getStatus().getJobs().getCompleted()));
        assertThat(h.batch("sweep").getStatus().getPhase()).isNotEqualTo(WorkloadPhase.CANCELLED);
    }

    @Test
    void aFreshOperatorMidSessionAdoptsTheRunningJobAndStartsNothingTwice() {
        h.apply(Manifests.backend("qpu", 1, 2.0)); // ~2 s per job: the restart lands while one runs
        h.apply(Manifests.session("vqe", "qpu", null, "1h", "60s"));
        for (int k = 1; k <= 3; k++) h.applyInTurn("vqe-" + k, Manifests.job("vqe-" + k, null, "sessionRef:\n    name: vqe"));
        h.awaitJob("vqe-2", j -> phase(j, JobPhase.RUNNING), T);
        h.core.flush(5_000);
        var before = h.session("vqe").getStatus();

        h.restart();

        for (int k = 1; k <= 3; k++) awaitCompletedWithResult("vqe-" + k);
        h.core.flush(5_000);
        var after = h.session("vqe").getStatus();
        assertThat(after.getMaxTTLDeadline()).isEqualTo(before.getMaxTTLDeadline());
        assertThat(after.getLease().getAcquiredAt()).isEqualTo(before.getLease().getAcquiredAt());
        assertThat(starts.values()).as("starts per job " + starts).containsOnly(1);
        for (int k = 1; k <= 3; k++) assertThat(h.job("vqe-" + k).getStatus().getAttempts()).isEqualTo(1);
    }

    @Test
    void aJobTheQpuFinishedWhileNoOperatorRanIsAdoptedWithItsResultAndFreesTheSlot() {
        h.apply(Manifests.backend("qpu", 1, 0.3));
        h.apply(Manifests.job("long", "qpu", ""));
        h.awaitJob("long", j -> phase(j, JobPhase.RUNNING), T);
        h.core.flush(5_000);

        h.restart(() -> sleep(1500)); // the QPU finishes it meanwhile; nobody hears of it

        QuantumJob done = awaitCompletedWithResult("long");
        assertThat(done.getStatus().getAttempts()).isEqualTo(1);
        assertThat(done.getStatus().getStartedAt()).isNotNull();
        assertThat(starts.get("default/long")).isEqualTo(1);
        h.apply(Manifests.job("next", "qpu", ""));
        awaitCompletedWithResult("next");
    }

    @Test
    void aFailedJobNamingNoSessionDoesNotStopTheRestoreOfEverythingElse() {
        h.apply(Manifests.backend("qpu", 1, 0.01));
        h.apply(Manifests.job("before", "qpu", ""));
        awaitCompletedWithResult("before");
        h.restart(() -> {
            // What an operator wrote for a job whose session never existed: Failed, no backend, no instance.
            h.apply(Manifests.job("orphan", null, "sessionRef:\n    name: nosuch"));
            QuantumJob orphan = h.job("orphan");
            var st = new io.kubeqpu.api.v1alpha1.QuantumJobStatus();
            st.setPhase(JobPhase.FAILED);
            st.setReason("UnknownWorkload");
            st.setMessage("no session named nosuch");
            orphan.setStatus(st);
            client.resource(orphan).updateStatus();
        });
        h.apply(Manifests.job("after", "qpu", ""));
        awaitCompletedWithResult("after");
        assertThat(h.core.restored()).isTrue();
    }

    @Test
    void deletingABackendFailsItsJobsWithAReasonAndReleasesTheSessionLease() {
        h.apply(Manifests.backend("qpu", 1, 30.0)); // ~30 s per job: still running when the backend is deleted on a loaded machine
        h.apply(Manifests.session("vqe", "qpu", null, "1h", "60s"));
        h.applyInTurn("vqe-1", Manifests.job("vqe-1", null, "sessionRef:\n    name: vqe"));
        h.applyInTurn("vqe-2", Manifests.job("vqe-2", null, "sessionRef:\n    name: vqe"));
        h.awaitJob("vqe-1", j -> phase(j, JobPhase.RUNNING), T);

        client.resources(QuantumBackend.class).withName("qpu").delete();

        for (String j : List.of("vqe-1", "vqe-2")) {
            QuantumJob job = h.awaitJob(j, x -> phase(x, JobPhase.FAILED), T);
            assertThat(job.getStatus().getReason()).isEqualTo("BackendDeleted");
            assertThat(job.getStatus().getMessage()).contains("qpu");
        }
        await().atMost(T).until(() -> h.session("vqe").getStatus().getPhase() == WorkloadPhase.CANCELLED);
        assertThat(h.session("vqe").getStatus().getLease()).isNull();
        assertThat(h.session("vqe").getStatus().getReason()).isEqualTo("BackendDeleted");
    }

    @Test
    void deletingAnInstanceFailsItsQueuedJobs() {
        h.apply(Manifests.backend("qpu", 1, 30.0)); // ~30 s per job
        h.apply(Manifests.instance("other", "payg", false));
        h.apply(Manifests.job("running", "qpu", ""));
        h.awaitJob("running", j -> phase(j, JobPhase.RUNNING), T);
        h.apply(Manifests.job("waiting", "qpu", "instance: other"));
        h.awaitJob("waiting", j -> phase(j, JobPhase.QUEUED), T);

        client.resources(QuantumInstance.class).inNamespace("default").withName("other").delete();

        QuantumJob waiting = h.awaitJob("waiting", j -> phase(j, JobPhase.FAILED), T);
        assertThat(waiting.getStatus().getReason()).isEqualTo("UnknownInstance");
        assertThat(waiting.getStatus().getMessage()).isEqualTo("QuantumInstance other was deleted");
        await().atMost(T).until(() -> client.resources(QuantumInstance.class).inNamespace("default").withName("other").get() == null);
    }

    @Test
    void aSpecEditThatChangesNoStatusIsStillObserved() {
        h.apply(Manifests.backend("qpu", 1, 0.01));
        await().atMost(T).until(() -> {
            var i = client.resources(QuantumInstance.class).inNamespace("default").withName("research").get();
            return i.getStatus() != null && Long.valueOf(1).equals(i.getStatus().getObservedGeneration());
        });
        client.resources(QuantumInstance.class).inNamespace("default").withName("research")
                .edit(i -> { i.getSpec().setWeight(3.0); return i; });
        await().atMost(T).until(() -> {
            var i = client.resources(QuantumInstance.class).inNamespace("default").withName("research").get();
            return Long.valueOf(2).equals(i.getMetadata().getGeneration())
                    && Long.valueOf(2).equals(i.getStatus().getObservedGeneration());
        });
    }

    @Test
    void aRestartAnnouncesNoPhaseTwice() {
        h.apply(Manifests.backend("qpu", 1, 0.01));
        h.apply(Manifests.job("bell", "qpu", ""));
        awaitCompletedWithResult("bell");
        h.core.flush(5_000);
        long before = eventsAbout("bell");
        assertThat(before).isPositive();

        h.restart();
        h.apply(Manifests.job("after", "qpu", ""));
        awaitCompletedWithResult("after");
        h.core.flush(5_000);
        assertThat(eventsAbout("bell")).isEqualTo(before);
    }

    @Test
    void aRestartMidCalibrationKeepsItsEndAndStartsNoJobBeforeIt() {
        // 200 s interval and 60 s duration at time scale 0.05: a 10 s cadence with 3 s calibrations.
        h.apply(Manifests.backend("qpu", 1, 0.05).replace("interval: \"0s\"", "interval: \"200s\"").replace("duration: \"0s\"", "duration: \"60s\""));
        await().atMost(T).until(() -> {
            var b = client.resources(QuantumBackend.class).withName("qpu").get();
            return b.getStatus() != null && Boolean.TRUE.equals(b.getStatus().getCalibrating()) && b.getStatus().getCalibratingUntil() != null;
        });
        String until = client.resources(QuantumBackend.class).withName("qpu").get().getStatus().getCalibratingUntil();

        h.restart();
        h.apply(Manifests.job("during", "qpu", ""));

        QuantumJob job = awaitCompletedWithResult("during");
        assertThat(java.time.Instant.parse(job.getStatus().getStartedAt())).as("started after the calibration ends at " + until)
                .isAfterOrEqualTo(java.time.Instant.parse(until));
        assertThat(client.resources(QuantumBackend.class).withName("qpu").get().getStatus().getLastCalibrationAt()).isNotNull();
    }

    long eventsAbout(String name) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).count();
    }

    @Test
    void aBackendProfileIteratesItsBasisGatesInOneOrderInEveryJvm() {
        // The simulator Deployment's desired hash is computed from this order: a per-JVM order rolled every QPU pod
        // (and the job on it) at operator restarts.
        var gates = new BackendProfile("qpu", 5, BackendProfile.HERON_BASIS, false, null, null).basisGates();
        assertThat(new ArrayList<>(gates)).isSorted();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
