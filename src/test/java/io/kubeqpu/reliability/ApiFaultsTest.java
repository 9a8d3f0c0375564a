package io.kubeqpu.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.QuantumSession;
import io.kubeqpu.api.v1alpha1.WorkloadPhase;
import io.kubeqpu.controller.OperatorHarness;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The API server misbehaves while a workload runs: every 7th write is a 409 Conflict, every 11th write and every
 * 13th read a 500, and every watch is dropped by the server every 700 ms. The workload still completes, with the
 * statuses it would have had (phases, results, usage, counts, no lease left), and no job is started twice.
 */
class ApiFaultsTest {
    static final Duration T = Duration.ofSeconds(40);

    @Test
    void conflictsServerErrorsAndDroppedWatchesAreSurvivedWithCorrectStatuses() throws Exception {
        FaultInjectingDispatcher faults = new FaultInjectingDispatcher(7, 11, 13, 700);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), faults, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        DecisionLog log = new DecisionLog();
        List<String> jobs = new ArrayList<>();
        KubernetesClient operatorClient = server.createClient();
        KubernetesClient client = observer(operatorClient);
        try (operatorClient; client; OperatorHarness h = new OperatorHarness(operatorClient)) {
            h.onEachStart(log::attach);
            apply(client, Yaml.backend("qpu", 2, 0.02));
            apply(client, Yaml.instance("premium", "premium", true));
            apply(client, Yaml.instance("payg", "payg", false));
            apply(client, Yaml.session("vqe", "qpu", "premium", "1h", "60s"));
            apply(client, Yaml.batch("sweep", "qpu", "payg", 5, 100));
            for (int k = 0; k < 5; k++) jobs.add("sweep-j" + k);
            faults.enabled = true;
            for (int k = 0; k < 10; k++) {
                apply(client, Yaml.job("single-" + k, "backend: qpu\ninstance: " + (k % 2 == 0 ? "premium" : "payg"), 100));
                jobs.add("single-" + k);
            }
            for (int k = 0; k < 4; k++) {
                apply(client, Yaml.job("vqe-" + k, "sessionRef:\n  name: vqe", 100));
                jobs.add("vqe-" + k);
                Thread.sleep(300);
            }
            // The session holds the QPU exclusively until it is closed (or idle for its interactive TTL).
            await().atMost(T).until(() -> java.util.stream.IntStream.range(0, 4).allMatch(k -> job(client, "vqe-" + k).getStatus() != null
                    && job(client, "vqe-" + k).getStatus().getPhase() == JobPhase.COMPLETED));
            OperatorHarness.closeSession(client, "vqe");
            await().atMost(T).untilAsserted(() -> assertThat(jobs.stream().filter(n -> {
                QuantumJob j = job(client, n);
                return j == null || j.getStatus() == null || j.getStatus().getPhase() != JobPhase.COMPLETED
                        || j.getStatus().getResultRef() == null;
            }).map(n -> n + ":" + (job(client, n) == null ? "absent" : job(client, n).getStatus() == null ? "no status"
                    : job(client, n).getStatus().getPhase() + "/" + job(client, n).getStatus().getResultRef()))).as("unfinished").isEmpty());
            await().atMost(T).until(() -> phaseOf(session(client, "vqe")) == WorkloadPhase.CLOSED
                    && batch(client, "sweep").getStatus() != null && batch(client, "sweep").getStatus().getPhase() == WorkloadPhase.CLOSED);
            faults.enabled = false;
            h.core.flush(5_000);

            for (String n : jobs) {
                QuantumJob j = job(client, n);
                assertThat(j.getStatus().getAttempts()).as(n).isEqualTo(1);
                assertThat(j.getStatus().getUsage().getQuantumSeconds()).as(n).isPositive();
                assertThat(j.getStatus().getStartedAt()).as(n).isNotNull();
                assertThat(j.getStatus().getCompletedAt()).as(n).isNotNull();
                assertThat(client.configMaps().inNamespace("default").withName(j.getStatus().getResultRef().getName()).get())
                        .as("result of " + n).isNotNull();
                assertThat(log.startsOf("default/" + n)).as("starts of " + n).isEqualTo(1);
            }
            // Counts and leases are written last and throttled: they settle once the faults stop.
            await().atMost(T).untilAsserted(() -> {
                assertThat(session(client, "vqe").getStatus().getJobs().getCompleted()).isEqualTo(4);
                assertThat(session(client, "vqe").getStatus().getLease()).isNull();
                assertThat(batch(client, "sweep").getStatus().getJobs().getCompleted()).isEqualTo(5);
                assertThat(batch(client, "sweep").getStatus().getLease()).isNull();
                assertThat(client.resources(QuantumBackend.class).withName("qpu").get().getStatus().getLease()).isNull();
            });
            System.out.printf("ApiFaultsTest: %d jobs completed through %d injected 409s, %d injected 500s, %d dropped watches%n",
                    jobs.size(), faults.conflicts.get(), faults.serverErrors.get(), faults.droppedWatches.get());
            assertThat(faults.conflicts.get()).as("409s injected").isPositive();
            assertThat(faults.serverErrors.get()).as("500s injected").isPositive();
            assertThat(faults.droppedWatches.get()).as("watches dropped").isPositive();
        } finally {
            faults.shutdown();
            server.destroy();
        }
    }

    /** A client whose requests the injector leaves alone: the test's own view of the outcome. */
    private static KubernetesClient observer(KubernetesClient operatorClient) {
        var cfg = new io.fabric8.kubernetes.client.ConfigBuilder(operatorClient.getConfiguration())
                .withUserAgent(FaultInjectingDispatcher.EXEMPT_AGENT).build();
        return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(cfg).build();
    }

    private static void apply(KubernetesClient client, String yaml) {
        io.kubeqpu.controller.ManifestApplier.apply(client, yaml, "default");
    }

    private static QuantumJob job(KubernetesClient c, String name) {
        return c.resources(QuantumJob.class).inNamespace("default").withName(name).get();
    }

    private static QuantumSession session(KubernetesClient c, String name) {
        return c.resources(QuantumSession.class).inNamespace("default").withName(name).get();
    }

    private static io.kubeqpu.api.v1alpha1.QuantumBatch batch(KubernetesClient c, String name) {
        return c.resources(io.kubeqpu.api.v1alpha1.QuantumBatch.class).inNamespace("default").withName(name).get();
    }

    private static WorkloadPhase phaseOf(QuantumSession s) {
        return s == null || s.getStatus() == null ? null : s.getStatus().getPhase();
    }
}
