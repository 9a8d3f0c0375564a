package io.kubeqpu.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.LeaseMode;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.WorkloadPhase;
import io.kubeqpu.controller.Manifests;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed scenarios end to end on kube-apiserver: manifests through the real kubectl, the operator as its own
 * process with the chart's ServiceAccount (any call the chart's RBAC does not grant is refused and fails the test),
 * QPUs as simulator processes, garbage collection by kube-controller-manager.
 */
@RealCluster
class ScenariosIT {
    static final Predicate COMPLETED = j -> j.getStatus().getPhase() == JobPhase.COMPLETED;
    static OperatorEnv env;
    static OperatorProcess operator;

    interface Predicate extends java.util.function.Predicate<QuantumJob> {
    }

    @BeforeAll
    static void install() throws Exception {
        env = new OperatorEnv("kq-scen", List.of("rc-qpu", "rc-slow"));
        operator = env.startOperator("kq-scen-operator-0").awaitReady(Duration.ofSeconds(90));
        env.apply(Manifests.backend("rc-qpu", 1, 0.001));
        env.apply(Manifests.backend("rc-slow", 1, 1.0));
        env.apply(Manifests.instance("research", "premium", true));
        env.apply(Manifests.instance("students", "open", false));
        env.apply(Manifests.instance("tiny", "payg", false).replace("default: false", "default: false\n  usageLimitSeconds: 1"));
        await().atMost(OperatorEnv.T).until(() -> env.backend("rc-qpu").getStatus() != null
                && env.kubelet.running("rc-qpu") && env.kubelet.running("rc-slow"));
    }

    @AfterAll
    static void uninstall() {
        OperatorEnv.closeCheckingRbac(env);
    }

    @Test
    void aJobRunsItsResultConfigMapIsGarbageCollectedWithItAndKubectlWaitsForIt() {
        env.apply(Manifests.job("bell", "rc-qpu", ""));
        // kubectl wait on the terminal condition (Ready=True once Completed).
        env.kubectl("wait", "qjob/bell", "--for=jsonpath={.status.phase}=Completed", "--timeout=60s").ok();
        env.kubectl("wait", "qjob/bell", "--for=condition=Ready", "--timeout=60s").ok();
        QuantumJob bell = env.awaitJob("bell", j -> j.getStatus().getResultRef() != null);
        String cm = bell.getStatus().getResultRef().getName();
        var result = env.cp.admin.configMaps().inNamespace(env.work).withName(cm).get();
        assertThat(result.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(bell.getMetadata().getUid()));
        assertThat(result.getData().get("result.json")).contains("\"counts\"");
        assertThat(env.kubectl("get", "qjob", "bell").ok().stdout()).contains("Completed");

        env.kubectl("delete", "qjob", "bell", "--wait=true", "--timeout=60s").ok();
        await().atMost(OperatorEnv.T).until(() -> env.cp.admin.configMaps().inNamespace(env.work).withName(cm).get() == null);
    }

    @Test
    void eventsAreRecordedAboutTheJob() {
        env.apply(Manifests.job("evented", "rc-qpu", ""));
        env.awaitJob("evented", COMPLETED);
        await().atMost(OperatorEnv.T).until(() -> env.kubectl("get", "events", "--field-selector",
                "involvedObject.name=evented,involvedObject.kind=QuantumJob").ok().stdout().contains("Completed"));
    }

    @Test
    void kubectlDescribeShowsTheJobsEvents() {
        env.apply(Manifests.job("described", "rc-qpu", ""));
        env.awaitJob("described", COMPLETED);
        await().atMost(OperatorEnv.T).untilAsserted(() -> assertThat(env.kubectl("describe", "qjob", "described").ok().stdout())
                .as("kubectl describe lists Events by involvedObject.uid").containsPattern("Normal\\s+Completed"));
    }

    @Test
    void serverSideDryRunAndDiffWork() {
        String job = Manifests.job("dry", "rc-qpu", "");
        assertThat(env.cp.kubectlIn(job, "apply", "-n", env.work, "--dry-run=server", "-f", "-").ok().stdout())
                .contains("created (server dry run)");
        assertThat(env.job("dry")).isNull();
        // CEL refuses a bad object on a dry run too.
        var bad = env.cp.kubectlIn(Manifests.job("dry", "rc-qpu", "sessionRef: {name: s}\n  batchRef: {name: b}"),
                "apply", "-n", env.work, "--dry-run=server", "-f", "-");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("set at most one of sessionRef and batchRef");
        // kubectl diff: exit 1 with a diff for a new object, 0 once applied and unchanged.
        var diff = env.cp.kubectlIn(job, "diff", "-n", env.work, "-f", "-");
        assertThat(diff.exitCode()).as(diff.toString()).isEqualTo(1);
        assertThat(diff.stdout()).contains("+  name: dry");
        env.apply(job);
        env.awaitJob("dry", COMPLETED);
        var same = env.cp.kubectlIn(job, "diff", "-n", env.work, "-f", "-");
        assertThat(same.exitCode()).as(same.toString()).isZero();
        // Server-side apply of a user's object works next to the operator's status writes.
        env.cp.kubectlIn(Manifests.job("ssa", "rc-qpu", ""), "apply", "--server-side", "-n", env.work, "-f", "-").ok();
        env.awaitJob("ssa", COMPLETED);
    }

    @Test
    void aBatchRunsItsJobsBackToBack() {
        StringBuilder templates = new StringBuilder();
        for (int k = 0; k < 8; k++)
            templates.append("""
                      - name: rx-%d
                        spec:
                          primitive: sampler
                          shots: 50
                          pubs:
                            - circuit: |
                    %s
                    """.formatted(k, Manifests.indent("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ncreg c[1];\nrx("
                    + (k * 0.3) + ") q[0];\nmeasure q[0] -> c[0];", 16)));
        env.apply("""
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumBatch
                metadata:
                  name: sweep
                spec:
                  backend: rc-qpu
                  acceptingJobs: false
                  jobs:
                %s""".formatted(templates));
        env.kubectl("wait", "qbatch/sweep", "--for=jsonpath={.status.phase}=Closed", "--timeout=60s").ok();
        var st = env.batch("sweep").getStatus();
        assertThat(st.getJobs().getCompleted()).isEqualTo(8);
        assertThat(env.job("sweep-rx-3").getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("QuantumBatch"));
        // Deleting the batch garbage-collects its owned jobs (and their results).
        env.kubectl("delete", "qbatch", "sweep", "--wait=true", "--timeout=60s").ok();
        await().atMost(OperatorEnv.T).until(() -> env.job("sweep-rx-0") == null && env.job("sweep-rx-7") == null);
    }

    @Test
    void aSessionIsExclusiveUntilItIsClosedAndThenRefusesNewJobs() {
        env.apply(Manifests.session("vqe", "rc-slow", null, "1h", "30s"));
        env.apply(Manifests.job("vqe-1", null, "sessionRef:\n    name: vqe"));
        env.awaitJob("vqe-1", j -> j.getStatus().getPhase() == JobPhase.RUNNING || j.getStatus().getPhase() == JobPhase.COMPLETED);
        // A plain job on the same backend waits while the session holds the QPU.
        env.apply(Manifests.job("outsider", "rc-slow", ""));
        env.awaitJob("vqe-1", COMPLETED);
        env.apply(Manifests.job("vqe-2", null, "sessionRef:\n    name: vqe"));
        env.awaitJob("vqe-2", COMPLETED);
        var active = env.session("vqe").getStatus();
        assertThat(active.getPhase()).isEqualTo(WorkloadPhase.ACTIVE);
        assertThat(active.getLease().getMode()).isEqualTo(LeaseMode.EXCLUSIVE);
        assertThat(active.getMaxTTLDeadline()).isNotNull();
        assertThat(Duration.between(Instant.parse(active.getStartedAt()), Instant.parse(active.getMaxTTLDeadline())))
                .isEqualTo(Duration.ofHours(1));
        assertThat(env.job("outsider").getStatus().getPhase()).isEqualTo(JobPhase.QUEUED);

        env.kubectl("patch", "qsess", "vqe", "--type=merge", "-p", "{\"spec\":{\"acceptingJobs\":false}}").ok();
        env.kubectl("wait", "qsess/vqe", "--for=jsonpath={.status.phase}=Closed", "--timeout=60s").ok();
        assertThat(env.session("vqe").getStatus().getLease()).isNull();
        env.awaitJob("outsider", COMPLETED);
        assertThat(Instant.parse(env.job("outsider").getStatus().getStartedAt()))
                .isAfterOrEqualTo(Instant.parse(env.job("vqe-2").getStatus().getCompletedAt()).minusSeconds(1));
        env.apply(Manifests.job("late", null, "sessionRef:\n    name: vqe"));
        assertThat(env.awaitJob("late", j -> j.getStatus().getPhase() == JobPhase.FAILED).getStatus().getReason())
                .isEqualTo("WorkloadClosed");
        // Reopening a closed session is refused by the CRD's transition rule.
        var reopen = env.kubectl("patch", "qsess", "vqe", "--type=merge", "-p", "{\"spec\":{\"acceptingJobs\":true}}");
        assertThat(reopen.exitCode()).isNotZero();
        assertThat(reopen.stderr()).contains("a closed workload cannot accept jobs again");
    }

    @Test
    void anIdleSessionGoesInactiveAfterItsInteractiveTtlAndExpiresAtItsMaxTtl() {
        // Max TTL long enough that the Inactive phase is still there to be seen on a loaded machine.
        env.apply(Manifests.session("ttl", "rc-qpu", null, "20s", "1s"));
        env.apply(Manifests.job("ttl-1", null, "sessionRef:\n    name: ttl"));
        env.awaitJob("ttl-1", COMPLETED);
        env.kubectl("wait", "qsess/ttl", "--for=jsonpath={.status.phase}=Inactive", "--timeout=30s").ok();
        var inactive = env.session("ttl").getStatus();
        assertThat(inactive.getReason()).isEqualTo("InteractiveTTLExpired");
        assertThat(inactive.getLease()).isNull();
        env.kubectl("wait", "qsess/ttl", "--for=jsonpath={.status.phase}=Expired", "--timeout=60s").ok();
        var expired = env.session("ttl").getStatus();
        assertThat(expired.getStartedAt()).isEqualTo(inactive.getStartedAt());
        assertThat(Duration.between(Instant.parse(expired.getStartedAt()), Instant.parse(expired.getMaxTTLDeadline())))
                .isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void deletingASessionCancelsItsUnfinishedJobs() {
        env.apply(Manifests.session("gone", "rc-slow", null, "1h", "60s"));
        env.applyInTurn("gone-1", Manifests.job("gone-1", null, "sessionRef:\n    name: gone").replace("shots: 100", "shots: 40000"));
        env.applyInTurn("gone-2", Manifests.job("gone-2", null, "sessionRef:\n    name: gone").replace("shots: 100", "shots: 40000"));
        env.awaitJob("gone-1", j -> j.getStatus().getPhase() == JobPhase.RUNNING);
        env.kubectl("delete", "qsess", "gone", "--wait=true", "--timeout=60s").ok();
        env.awaitJob("gone-1", j -> j.getStatus().getPhase() == JobPhase.CANCELLED);
        assertThat(env.awaitJob("gone-2", j -> j.getStatus().getPhase() == JobPhase.CANCELLED).getStatus().getReason())
                .isEqualTo("WorkloadCancelled");
    }

    @Test
    void anOpenPlanSessionIsRefused() {
        env.apply(Manifests.session("cheap", "rc-qpu", "students", "1h", "60s"));
        env.kubectl("wait", "qsess/cheap", "--for=jsonpath={.status.phase}=Rejected", "--timeout=60s").ok();
        assertThat(env.session("cheap").getStatus().getReason()).isEqualTo("PlanNotAllowed");
    }

    @Test
    void anInstanceOverItsUsageLimitGetsNoNewDispatches() {
        env.apply(Manifests.job("t1", "rc-qpu", "instance: tiny"));
        env.awaitJob("t1", COMPLETED);
        env.apply(Manifests.job("t2", "rc-qpu", "instance: tiny"));
        assertThat(env.awaitJob("t2", j -> j.getStatus().getPhase() == JobPhase.FAILED).getStatus().getReason())
                .isEqualTo("UsageLimitExceeded");
    }

    /**
     * A backend follows its simulator Deployment's ready replicas as the API server reports them (the operator's
     * informer on the Deployments; it polled every 2 s while not ready and every 10 s for health). The kubelet
     * stand-in runs no QPU for this backend: the test reports its Deployment ready and not ready itself.
     */
    @Test
    void aBackendFollowsItsSimulatorDeploymentsReadinessAsItChanges() throws Exception {
        String backend = "rc-flip";
        var deployment = env.cp.admin.apps().deployments().inNamespace(env.namespace).withName("kubeqpu-sim-" + backend);
        env.cp.kubectlIn(Manifests.backend(backend, 1, 0.001), "apply", "-f", "-").ok();
        try {
            await().atMost(OperatorEnv.T).until(() -> deployment.get() != null);
            await().atMost(OperatorEnv.T).until(() -> env.backend(backend).getStatus() != null
                    && Boolean.FALSE.equals(env.backend(backend).getStatus().getAvailable()));
            List<Long> ms = new java.util.ArrayList<>();
            for (int ready : new int[] {1, 0, 1, 0}) {
                Thread.sleep(1_100); // the status writer writes a backend at most once a second
                long t0 = System.nanoTime();
                deployment.subresource("status").patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"status\":{\"replicas\":1,\"readyReplicas\":" + ready + ",\"availableReplicas\":" + ready + "}}");
                await().atMost(OperatorEnv.T).pollInterval(Duration.ofMillis(10))
                        .until(() -> Boolean.valueOf(ready > 0).equals(env.backend(backend).getStatus().getAvailable()));
                ms.add((System.nanoTime() - t0) / 1_000_000);
            }
            System.out.println("real API server: simulator Deployment ready/not ready -> backend Available/Unavailable in " + ms + " ms");
            assertThat(ms).allSatisfy(m -> assertThat(m).isLessThan(1_000));
        } finally {
            env.cp.kubectl("delete", "qpu", backend, "--ignore-not-found", "--wait=true", "--timeout=60s");
        }
    }
}
