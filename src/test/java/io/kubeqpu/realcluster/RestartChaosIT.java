package io.kubeqpu.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumBatch;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.QuantumSession;
import io.kubeqpu.api.v1alpha1.WorkloadStatus;
import io.kubeqpu.controller.Manifests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restart chaos on the real API server: {@code kill -9} of the operator process, {@value #KILLS} times, while a
 * session's jobs run and then while batches run; the simulator process (the QPU) keeps running through every kill
 * and the operator comes back as a container restart would (same pod name, so the same Lease identity). Afterwards:
 * every job finished exactly once on the QPU (its event log), none lost, and no session or batch deadline moved.
 */
@RealCluster
class RestartChaosIT {
    static final int KILLS = 20;
    static final java.util.Set<JobPhase> TERMINAL = java.util.EnumSet.of(JobPhase.COMPLETED, JobPhase.FAILED, JobPhase.CANCELLED);
    static final String POD = "kq-chaos-operator-0";
    static OperatorEnv env;
    final Random random = new Random(12);
    final List<String> jobs = new ArrayList<>();
    final Map<String, String> deadlines = new TreeMap<>();
    final List<String> moved = new ArrayList<>();
    final List<String> stuck = new ArrayList<>();

    @BeforeAll
    static void install() throws Exception {
        env = new OperatorEnv("kq-chaos", List.of("rc-chaos"));
    }

    @AfterAll
    static void uninstall() {
        OperatorEnv.closeCheckingRbac(env);
    }

    @Test
    void killNineMidSessionAndMidBatchRunsEveryJobExactlyOnceAndMovesNoDeadline() throws Exception {
        OperatorProcess op = env.startOperator(POD).awaitReady(Duration.ofSeconds(90));
        // ~0.5 s per job on the QPU (1 s overhead at time scale 0.5).
        env.apply(Manifests.backend("rc-chaos", 1, 0.5));
        env.apply(Manifests.instance("research", "premium", true));
        env.apply(Manifests.session("chaos", "rc-chaos", null, "1h", "5m"));
        int kills = 0;
        long downMillis = 0;
        for (int round = 0; round < KILLS; round++) {
            String running;
            if (round < KILLS / 2) {
                for (int k = 0; k < 3; k++) submit("s" + round + "-" + k, "sessionRef:\n    name: chaos");
                running = "s" + round + "-0";
            } else {
                if (round == KILLS / 2) {
                    env.kubectl("patch", "qsess", "chaos", "--type=merge", "-p", "{\"spec\":{\"acceptingJobs\":false}}").ok();
                }
                submitBatch("b" + round, 4);
                running = "b" + round + "-j0";
            }
            String target = running;
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
                    QuantumJob j = env.job(target);
                    return j != null && j.getStatus() != null && j.getStatus().getPhase() != null
                            && j.getStatus().getPhase() != JobPhase.QUEUED && j.getStatus().getPhase() != JobPhase.PENDING;
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // Counted, and the kill goes on: a restart may unstick it, and the later rounds still count.
                stuck.add("round " + round + ": " + target + " did not start within 30 s");
            }
            recordDeadlines();
            Thread.sleep(random.nextInt(400));
            op.kill();
            kills++;
            assertThat(env.kubelet.running("rc-chaos")).as("the QPU process outlives the operator").isTrue();
            long t = System.nanoTime();
            op = env.startOperator(POD).awaitReady(Duration.ofSeconds(90));
            downMillis += (System.nanoTime() - t) / 1_000_000;
        }
        String snapshot = "";
        try {
            awaitOrExplain("every job to finish after the last restart", Duration.ofMinutes(2), () -> jobs.stream().allMatch(n -> {
                QuantumJob j = env.job(n);
                return j.getStatus() != null && TERMINAL.contains(j.getStatus().getPhase());
            }));
        } catch (AssertionError e) {
            snapshot = e.getMessage();
        }
        recordDeadlines();

        Map<String, Integer> startsByQpuJob = qpuStarts();
        Map<String, Integer> phases = new TreeMap<>();
        List<String> notCompleted = new ArrayList<>();
        for (String n : jobs) {
            QuantumJob j = env.job(n);
            JobPhase phase = j == null || j.getStatus() == null ? null : j.getStatus().getPhase();
            phases.merge(String.valueOf(phase), 1, Integer::sum);
            if (phase != JobPhase.COMPLETED)
                notCompleted.add(n + " " + phase + (phase == null ? "" : " " + j.getStatus().getReason() + ": " + j.getStatus().getMessage()));
        }
        List<String> twice = startsByQpuJob.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + " x" + e.getValue()).toList();
        System.out.printf("restart chaos: %d kill -9 (operator back in %.1f s on average), %d jobs: %s; QPU started %d"
                        + " distinct jobs, %d more than once; %d rounds whose job did not start; %d deadlines moved%n",
                kills, downMillis / 1000.0 / kills, jobs.size(), phases, startsByQpuJob.size(), twice.size(), stuck.size(),
                moved.size());
        if (!snapshot.isEmpty()) System.out.println(snapshot);
        assertThat(kills).isGreaterThanOrEqualTo(20);
        assertThat(stuck).as("rounds whose job never started").isEmpty();
        assertThat(twice).as("jobs the QPU ran twice").isEmpty();
        assertThat(notCompleted).as("jobs lost or failed").isEmpty();
        assertThat(moved).as("deadlines or anchors that moved").isEmpty();
    }

    /** Waits, or fails saying what the jobs and workloads looked like (the restart bugs show up here). */
    private void awaitOrExplain(String what, Duration timeout, java.util.concurrent.Callable<Boolean> done) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(done);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            String jobs = env.kubectl("get", "qjob", "-o", "custom-columns=NAME:.metadata.name,PHASE:.status.phase,"
                    + "REASON:.status.reason,ATTEMPTS:.status.attempts,STARTED:.status.startedAt,MESSAGE:.status.message").all();
            String workloads = env.kubectl("get", "qsess,qbatch", "-o", "custom-columns=NAME:.metadata.name,"
                    + "PHASE:.status.phase,REASON:.status.reason,STARTED:.status.startedAt,LEASE:.status.lease.mode").all();
            String backend = env.cp.kubectl("get", "qpu", "rc-chaos", "-o", "jsonpath={.status}").all();
            throw new AssertionError("timed out waiting for " + what + " after " + timeout + "\n" + jobs + workloads
                    + "backend status: " + backend + "\n" + "QPU STARTED events per job: " + safeStarts(), e);
        }
    }

    private Object safeStarts() {
        try {
            return qpuStarts();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private void submit(String name, String extra) {
        env.apply(Manifests.job(name, null, extra));
        jobs.add(name);
    }

    private void submitBatch(String name, int n) {
        StringBuilder templates = new StringBuilder();
        for (int k = 0; k < n; k++) {
            templates.append("""
                      - name: j%d
                        spec:
                          primitive: sampler
                          shots: 100
                          pubs:
                            - circuit: |
                    %s
                    """.formatted(k, Manifests.indent(Manifests.BELL, 16)));
            jobs.add(name + "-j" + k);
        }
        env.apply("""
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumBatch
                metadata:
                  name: %s
                spec:
                  backend: rc-chaos
                  maxTTL: 1h
                  acceptingJobs: false
                  jobs:
                %s""".formatted(name, templates));
    }

    /** The first value seen of every workload's anchors and deadlines; any later different value is a move. */
    private void recordDeadlines() {
        for (QuantumSession s : env.cp.admin.resources(QuantumSession.class).inNamespace(env.work).list().getItems())
            record("session " + s.getMetadata().getName(), s.getStatus());
        for (QuantumBatch b : env.cp.admin.resources(QuantumBatch.class).inNamespace(env.work).list().getItems())
            record("batch " + b.getMetadata().getName(), b.getStatus());
    }

    private void record(String who, WorkloadStatus st) {
        if (st == null) return;
        check(who + " startedAt", st.getStartedAt());
        check(who + " maxTTLDeadline", st.getMaxTTLDeadline());
    }

    private void check(String key, String value) {
        if (value == null) return;
        String before = deadlines.putIfAbsent(key, value);
        if (before != null && !before.equals(value)) {
            moved.add(key + ": " + before + " -> " + value);
            deadlines.put(key, value);
        }
    }

    /** STARTED events per job id in the QPU's own event log (it survived every operator kill). */
    private Map<String, Integer> qpuStarts() throws Exception {
        Map<String, Integer> starts = new HashMap<>();
        HttpClient http = HttpClient.newHttpClient();
        long after = 0;
        while (true) {
            var r = http.send(HttpRequest.newBuilder(URI.create(env.kubelet.url("rc-chaos") + "/v1/events?after=" + after
                    + "&timeoutMs=0")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = new ObjectMapper().readTree(r.body());
            JsonNode events = body.get("events");
            if (events == null || events.isEmpty()) break;
            for (JsonNode e : events) {
                after = Math.max(after, e.get("sequence").asLong());
                if ("STARTED".equals(e.path("type").asText())) starts.merge(e.path("jobId").asText(), 1, Integer::sum);
            }
        }
        return starts;
    }
}
