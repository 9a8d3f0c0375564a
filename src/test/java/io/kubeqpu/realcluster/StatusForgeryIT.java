package io.kubeqpu.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumInstance;
import io.kubeqpu.api.v1alpha1.WorkloadPhase;
import io.kubeqpu.controller.Manifests;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On the real API server, as whoever holds {@code …/status} rights would do it: {@code kubectl patch --subresource=status}
 * while the operator is down (after a {@code kill -9}). The restarted operator (the chart's RBAC, its ledger in the
 * release namespace) restores the true usage and anchors and writes them back over the forged ones.
 */
@RealCluster
class StatusForgeryIT {
    static final String POD = "kq-forgery-operator-0";
    static OperatorEnv env;

    @BeforeAll
    static void install() throws Exception {
        env = new OperatorEnv("kq-forgery", List.of("rc-forgery"));
    }

    @AfterAll
    static void uninstall() {
        OperatorEnv.closeCheckingRbac(env);
    }

    QuantumInstance instance(String name) {
        return env.cp.admin.resources(QuantumInstance.class).inNamespace(env.work).withName(name).get();
    }

    @Test
    void statusesForgedWhileTheOperatorIsDownChangeNothingAfterItsRestart() throws Exception {
        OperatorProcess op = env.startOperator(POD).awaitReady(Duration.ofSeconds(90));
        env.apply(Manifests.backend("rc-forgery", 1, 0.01));
        env.apply(Manifests.instance("capped", "payg", true).replace("default: true", "default: true\n  usageLimitSeconds: 20"));
        // ~11 quantum seconds (1 s overhead + 40,000 shots x ~250 us) in job mode, then a session that keeps its lease.
        env.apply(Manifests.job("big", "rc-forgery", "").replace("shots: 100", "shots: 40000"));
        env.awaitJob("big", j -> j.getStatus().getPhase() == JobPhase.COMPLETED);
        await().atMost(OperatorEnv.T).until(() -> instance("capped").getStatus() != null
                && instance("capped").getStatus().getUsage().getQuantumSeconds() >= 11);
        env.apply(Manifests.session("vqe", "rc-forgery", null, "1h", "5m"));
        env.apply(Manifests.job("vqe-1", null, "sessionRef:\n    name: vqe"));
        env.awaitJob("vqe-1", j -> j.getStatus().getPhase() == JobPhase.COMPLETED);
        await().atMost(OperatorEnv.T).until(() -> env.session("vqe").getStatus().getLease() != null
                && env.session("vqe").getStatus().getLease().getUsageFrom() != null);
        var before = env.session("vqe").getStatus();
        assertThat(before.getPhase()).isEqualTo(WorkloadPhase.ACTIVE);
        Thread.sleep(500); // the ledger is written at most every 100 ms

        op.kill();
        env.kubectl("patch", "qsess", "vqe", "--subresource=status", "--type=merge", "-p", """
                {"status":{"startedAt":"2036-01-01T00:00:00Z","maxTTLDeadline":"2036-01-01T01:00:00Z",
                 "lastJobCompletedAt":"2036-01-01T00:00:00Z","interactiveDeadline":"2036-01-01T00:05:00Z",
                 "lease":{"acquiredAt":"2036-01-01T00:00:00Z","usageFrom":"2036-01-01T00:00:00Z"},
                 "usage":{"quantumSeconds":0,"closedQuantumSeconds":0}}}""").ok();
        env.kubectl("patch", "qinst", "capped", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"usage\":{\"quantumSeconds\":0,\"closedQuantumSeconds\":0,\"recentQuantumSeconds\":0}}}").ok();
        assertThat(env.session("vqe").getStatus().getStartedAt()).as("the forgery took").isEqualTo("2036-01-01T00:00:00Z");

        env.startOperator(POD).awaitReady(Duration.ofSeconds(90));
        await().atMost(OperatorEnv.T).pollInterval(Duration.ofMillis(250))
                .until(() -> before.getStartedAt().equals(env.session("vqe").getStatus().getStartedAt()));
        await().atMost(OperatorEnv.T).pollInterval(Duration.ofMillis(250))
                .until(() -> instance("capped").getStatus().getUsage().getQuantumSeconds() >= 11);
        var after = env.session("vqe").getStatus();
        assertThat(after.getMaxTTLDeadline()).isEqualTo(before.getMaxTTLDeadline());
        assertThat(after.getLease().getAcquiredAt()).isEqualTo(before.getLease().getAcquiredAt());
        assertThat(after.getLease().getUsageFrom()).isEqualTo(before.getLease().getUsageFrom());
        assertThat(instance("capped").getStatus().getUsage().getRecentQuantumSeconds()).isGreaterThan(10.0);
        assertThat(env.cp.admin.configMaps().inNamespace(env.namespace).withName("kubeqpu-ledger-0").get())
                .as("the ledger, in the release namespace").isNotNull();
    }
}
