package io.kubeqpu.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.controller.Manifests;
import io.kubeqpu.controller.ManifestApplier;
import io.kubeqpu.controller.OperatorHarness;
import io.kubeqpu.dispatch.QpuFleet;
import io.kubeqpu.local.apiserver.EmbeddedApiServer;
import io.kubeqpu.scheduler.Decision;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas with leader election on one API server and the same QPUs (as simulator pods outlive an
 * operator): only the Lease holder acts; when it stops, the other takes over and the workload completes, no job
 * started twice.
 */
class TwoReplicasTest {
    static final Duration T = Duration.ofSeconds(60);

    static LeaderElectionConfiguration lease(String identity) {
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration("kubeqpu-operator-lease")
                .withLeaseNamespace("default").withIdentity(identity)
                .withLeaseDuration(Duration.ofSeconds(2)).withRenewDeadline(Duration.ofMillis(1500))
                .withRetryPeriod(Duration.ofMillis(200)).buildForTest(false);
    }

    @Test
    void onlyTheLeaderActsAndTheOtherTakesOverWithoutRunningAJobTwice() {
        KubernetesMockServer server = EmbeddedApiServer.create();
        server.init(InetAddress.getLoopbackAddress(), 0);
        QpuFleet fleet = QpuFleet.inProcess();
        Map<String, Integer> starts = new ConcurrentHashMap<>();
        AtomicInteger decisionsA = new AtomicInteger(), decisionsB = new AtomicInteger();
        try (KubernetesClient test = server.createClient(); KubernetesClient a = server.createClient();
             KubernetesClient b = server.createClient()) {
            OperatorHarness.installCrds(test);
            OperatorHarness replicaA = new OperatorHarness(a, fleet, null, lease("replica-a"));
            replicaA.core.observe(ds -> count(ds, decisionsA, starts));
            await().atMost(T).until(() -> test.leases().inNamespace("default").withName("kubeqpu-operator-lease").get() != null);
            OperatorHarness replicaB = new OperatorHarness(b, fleet, null, lease("replica-b"));
            replicaB.core.observe(ds -> count(ds, decisionsB, starts));
            // The leader restores as it begins to lead, before any object is applied; the standby restores nothing.
            await().atMost(T).until(replicaA.core::restored);
            assertThat(replicaB.core.restored()).as("the standby restored").isFalse();
            try {
                ManifestApplier.apply(test, Manifests.backend("qpu", 1, 1.0) + "\n---\n" + Manifests.instance("research", "premium", true)
                        + "\n---\n" + Manifests.session("vqe", "qpu", null, "1h", "60s"), "default");
                for (int k = 1; k <= 4; k++)
                    ManifestApplier.apply(test, Manifests.job("vqe-" + k, null, "sessionRef:\n    name: vqe"), "default");
                await().atMost(T).until(() -> phase(test, "vqe-2") == JobPhase.COMPLETED);
                assertThat(decisionsA.get()).as("the leader decides").isPositive();
                assertThat(decisionsB.get()).as("the standby does nothing").isZero();
                assertThat(test.leases().inNamespace("default").withName("kubeqpu-operator-lease").get().getSpec().getHolderIdentity())
                        .isEqualTo("replica-a");

                replicaA.stop(); // the leader goes away mid-session
                // Two more jobs only the other replica can decide: under load the leader could finish all four before it
                // stopped, and the takeover would have nothing to show (a run saw "took over: 0").
                for (int k = 5; k <= 6; k++)
                    ManifestApplier.apply(test, Manifests.job("vqe-" + k, null, "sessionRef:\n    name: vqe"), "default");
                for (int k = 1; k <= 6; k++) {
                    String job = "vqe-" + k;
                    await().atMost(T).until(() -> phase(test, job) == JobPhase.COMPLETED);
                }
                assertThat(decisionsB.get()).as("the other replica took over").isPositive();
                assertThat(starts).hasSize(6);
                assertThat(starts.values()).as("starts per job").containsOnly(1);
            } finally {
                replicaB.stop();
            }
        } finally {
            fleet.close();
            server.destroy();
        }
    }

    private static void count(java.util.List<Decision> ds, AtomicInteger decisions, Map<String, Integer> starts) {
        decisions.addAndGet(ds.size());
        for (Decision d : ds) if (d instanceof Decision.StartJob s) starts.merge(s.job(), 1, Integer::sum);
    }

    private static JobPhase phase(KubernetesClient c, String job) {
        QuantumJob j = c.resources(QuantumJob.class).inNamespace("default").withName(job).get();
        return j == null || j.getStatus() == null ? null : j.getStatus().getPhase();
    }
}
