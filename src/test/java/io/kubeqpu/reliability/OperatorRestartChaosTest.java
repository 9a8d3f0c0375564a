package io.kubeqpu.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.api.v1alpha1.QuantumBatch;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.QuantumSession;
import io.kubeqpu.api.v1alpha1.WorkloadPhase;
import io.kubeqpu.api.v1alpha1.WorkloadStatus;
import io.kubeqpu.controller.HttpQpus;
import io.kubeqpu.controller.OperatorHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A mixed workload (single jobs, batches, sessions; premium, payg and open instances; two backends) while the
 * operator is restarted at random moments (seeded) as a new process would be (a fresh fleet of HTTP clients, empty
 * caches), against the same API server and QPUs that outlive it (simulator servers on loopback).
 * Afterwards every job is in one terminal phase reached once, no job started twice, session anchors and
 * deadlines never moved, and no finished workload holds a lease.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorRestartChaosTest {
    static final int RESTARTS = 30;
    static final Duration T = Duration.ofSeconds(20);
    KubernetesClient client;

    @Test
    void twentyRandomRestartsLoseNoJobRunNoneTwiceAndMoveNoDeadline() throws Exception {
        long seed = Long.getLong("kubeqpu.chaos.seed", System.nanoTime());
        System.out.println("OperatorRestartChaosTest seed=" + seed + " (rerun with -Dkubeqpu.chaos.seed=" + seed + ")");
        Random rnd = new Random(seed);
        DecisionLog log = new DecisionLog();
        List<String> jobs = new ArrayList<>();
        Map<String, String> expectedFailure = new HashMap<>(); // job → reason it must fail with
        try (HttpQpus qpus = new HttpQpus(); OperatorHarness h = OperatorHarness.withFreshFleets(client, qpus::newFleet)) {
            h.onEachStart(log::attach);
            // ~0.1 s of QPU time per 100-shot job: restarts land in the middle of jobs.
            h.apply(Yaml.backend("qpu-a", 2, 0.1));
            h.apply(Yaml.backend("qpu-b", 1, 0.1));
            h.apply(Yaml.instance("premium", "premium", true));
            h.apply(Yaml.instance("payg", "payg", false));
            h.apply(Yaml.instance("open", "open", false));
            String[] instances = {"premium", "payg", "open"};
            String[] backends = {"qpu-a", "qpu-b"};
            for (int k = 0; k < 12; k++) {
                String name = "single-" + k;
                h.apply(Yaml.job(name, "backend: " + backends[k % 2] + "\ninstance: " + instances[k % 3], 100));
                jobs.add(name);
            }
            h.apply(Yaml.batch("sweep-payg", "qpu-a", "payg", 6, 100));
            h.apply(Yaml.batch("sweep-open", "qpu-b", "open", 6, 100));
            for (int k = 0; k < 6; k++) {
                jobs.add("sweep-payg-j" + k);
                jobs.add("sweep-open-j" + k);
            }
            String[][] sessions = {{"vqe-premium", "qpu-b", "premium"}, {"vqe-payg", "qpu-a", "payg"}};
            for (String[] s : sessions) h.apply(Yaml.session(s[0], s[1], s[2], "1h", "60s"));
            h.apply(Yaml.session("vqe-open", "qpu-a", "open", "1h", "60s"));
            for (int k = 0; k < 2; k++) {
                String name = "vqe-open-" + k;
                h.apply(Yaml.job(name, "sessionRef:\n  name: vqe-open", 100));
                jobs.add(name);
                expectedFailure.put(name, null); // fails; the reason is checked to be present
            }

            Map<String, WorkloadStatus> anchors = new HashMap<>();
            int sessionJobs = 0;
            int restarts = 0;
            while (restarts < RESTARTS) {
                Thread.sleep(100 + rnd.nextInt(300));
                // Session jobs arrive over time, one per session per round, as an iterative loop submits them.
                if (sessionJobs < 5) {
                    for (String[] s : sessions) {
                        String name = s[0] + "-" + sessionJobs;
                        h.apply(Yaml.job(name, "sessionRef:\n  name: " + s[0], 100));
                        jobs.add(name);
                    }
                    sessionJobs++;
                } else if (sessionJobs == 5) {
                    for (String[] s : sessions) close(h, s[0]);
                    sessionJobs++;
                }
                recordAnchors(h, sessions, anchors);
                int r = restarts;
                // A new operator process each time: a fresh fleet of HTTP clients to QPUs that kept running.
                h.restart(() -> {
                    if (rnd.nextInt(3) == 0) { // a job submitted while no operator runs
                        String name = "while-down-" + r;
                        h.apply(Yaml.job(name, "backend: " + backends[rnd.nextInt(2)] + "\ninstance: " + instances[rnd.nextInt(2)], 100));
                        jobs.add(name);
                    }
                    sleep(rnd.nextInt(150));
                });
                restarts++;
            }

            await().atMost(T).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> assertThat(jobs.stream()
                    .filter(n -> !terminal(h.job(n))).map(n -> n + "=" + describe(h.job(n)) + " starts " + log.startsOf("default/" + n)))
                    .as("jobs not finished; decisions by incarnation " + log.decisionsByIncarnation).isEmpty());
            for (String[] s : sessions)
                await().atMost(T).untilAsserted(() -> assertThat(phase(h.session(s[0])))
                        .as(s[0] + " " + describe(h.session(s[0]).getStatus())).isEqualTo(WorkloadPhase.CLOSED));
            for (String b : new String[] {"sweep-payg", "sweep-open"})
                await().atMost(T).untilAsserted(() -> assertThat(phase(h.batch(b)))
                        .as(b + " " + describe(h.batch(b).getStatus())).isEqualTo(WorkloadPhase.CLOSED));
            h.core.flush(5_000);
            recordAnchors(h, sessions, anchors);

            for (String n : jobs) {
                QuantumJob j = h.job(n);
                String id = "default/" + n;
                if (expectedFailure.containsKey(n)) {
                    assertThat(j.getStatus().getPhase()).as(n).isEqualTo(JobPhase.FAILED);
                    assertThat(j.getStatus().getReason()).as(n).isNotBlank();
                    assertThat(log.startsOf(id)).as("starts of " + n).isZero();
                } else {
                    assertThat(j.getStatus().getPhase()).as(n + " " + j.getStatus().getReason()).isEqualTo(JobPhase.COMPLETED);
                    assertThat(log.startsOf(id)).as("StartJob decisions for " + n + " over all incarnations").isEqualTo(1);
                    assertThat(j.getStatus().getAttempts()).as("attempts of " + n).isEqualTo(1);
                }
                // Never ended twice. At most once rather than exactly once: an incarnation stopped between carrying
                // out a decision (its status written) and calling the observers leaves it unobserved, and the next
                // one rightly restores the job as already ended (seen in CI once in ~20 runs).
                assertThat(log.terminals.getOrDefault(id, List.of())).as("terminal phase changes of " + n).hasSizeLessThanOrEqualTo(1);
            }
            for (String[] s : sessions) {
                WorkloadStatus end = h.session(s[0]).getStatus();
                WorkloadStatus first = anchors.get(s[0]);
                assertThat(end.getStartedAt()).as(s[0] + " startedAt").isEqualTo(first.getStartedAt());
                assertThat(end.getMaxTTLDeadline()).as(s[0] + " maxTTLDeadline").isEqualTo(first.getMaxTTLDeadline());
                assertThat(end.getLease()).as(s[0] + " lease after Closed").isNull();
                assertThat(end.getJobs().getCompleted()).isEqualTo(5);
            }
            assertThat(phase(h.session("vqe-open"))).isEqualTo(WorkloadPhase.REJECTED);
            assertThat(h.session("vqe-open").getStatus().getReason()).isEqualTo("PlanNotAllowed");
            for (String b : new String[] {"sweep-payg", "sweep-open"}) {
                assertThat(h.batch(b).getStatus().getLease()).as(b + " lease").isNull();
                assertThat(h.batch(b).getStatus().getJobs().getCompleted()).isEqualTo(6);
            }
            await().atMost(T).untilAsserted(() -> {
                for (String b : backends)
                    assertThat(client.resources(QuantumBackend.class).withName(b).get().getStatus().getLease())
                            .as("lease holder of " + b).isNull();
            });
            // No usage charged twice: each instance's period usage is what its jobs and sessions were billed.
            await().atMost(T).untilAsserted(() -> {
                for (String inst : instances) {
                    double billed = 0;
                    for (QuantumJob j : client.resources(QuantumJob.class).inNamespace("default").list().getItems())
                        if (inst.equals(j.getStatus() == null ? null : j.getStatus().getInstance()) && j.getSpec().getSessionRef() == null
                                && j.getStatus().getUsage() != null)
                            billed += j.getStatus().getUsage().getQuantumSeconds();
                    for (QuantumSession q : client.resources(QuantumSession.class).inNamespace("default").list().getItems())
                        if (q.getStatus() != null && q.getStatus().getUsage() != null && inst.equals(q.getSpec().getInstance()))
                            billed += q.getStatus().getUsage().getQuantumSeconds();
                    var used = client.resources(io.kubeqpu.api.v1alpha1.QuantumInstance.class).inNamespace("default").withName(inst)
                            .get().getStatus().getUsage().getQuantumSeconds();
                    assertThat(used).as("usage of instance " + inst + " against what its jobs and sessions were billed")
                            .isCloseTo(billed, org.assertj.core.data.Offset.offset(0.01 + billed * 0.01));
                }
            });
            System.out.printf("OperatorRestartChaosTest: %d restarts (%d operator incarnations), %d jobs, %d StartJob decisions%n",
                    restarts, log.incarnations(), jobs.size(), log.startLog.size());
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Remembers each session's anchors the first time they are set. */
    private static void recordAnchors(OperatorHarness h, String[][] sessions, Map<String, WorkloadStatus> anchors) {
        for (String[] s : sessions) {
            QuantumSession q = h.session(s[0]);
            if (!anchors.containsKey(s[0]) && q.getStatus() != null && q.getStatus().getStartedAt() != null)
                anchors.put(s[0], q.getStatus());
        }
    }

    private static void close(OperatorHarness h, String session) {
        OperatorHarness.closeSession(h.client, session);
    }

    static boolean terminal(QuantumJob j) {
        return j != null && j.getStatus() != null && j.getStatus().getPhase() != null
                && j.getStatus().getPhase() != JobPhase.PENDING && j.getStatus().getPhase() != JobPhase.QUEUED
                && j.getStatus().getPhase() != JobPhase.RUNNING;
    }

    static String describe(QuantumJob j) {
        if (j == null || j.getStatus() == null) return "no status";
        var st = j.getStatus();
        return st.getPhase() + "/" + st.getReason() + "/" + st.getBackend() + "/attempts " + st.getAttempts();
    }

    static String describe(WorkloadStatus st) {
        if (st == null) return "no status";
        return st.getPhase() + "/" + st.getReason() + "/lease " + (st.getLease() == null ? "-" : st.getLease().getBackend())
                + "/jobs " + (st.getJobs() == null ? "-" : st.getJobs().getCompleted() + " completed, " + st.getJobs().getQueued()
                + " queued, " + st.getJobs().getRunning() + " running");
    }

    static WorkloadPhase phase(QuantumSession s) {
        return s == null || s.getStatus() == null ? null : s.getStatus().getPhase();
    }

    static WorkloadPhase phase(QuantumBatch b) {
        return b == null || b.getStatus() == null ? null : b.getStatus().getPhase();
    }
}
