package io.kubeqpu.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.controller.OperatorHarness;
import io.kubeqpu.dispatch.QpuFleet;
import io.kubeqpu.scheduler.Event;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The in-process QPU misbehaves: it is killed mid-job (its job is retried once, then fails with a reason; the session
 * on it keeps its deadlines), or it hangs and never reports (the job's maxExecutionTime stops it).
 */
@EnableKubernetesMockClient(crud = true)
class SimulatorFaultsTest {
    static final Duration T = Duration.ofSeconds(20);
    KubernetesClient client;
    io.kubeqpu.simulator.BackendProfile profile;
    io.kubeqpu.simulator.device.DeviceOptions options;

    @Test
    void aDeviceThatNeverReportsHasItsJobStoppedAtMaxExecutionTimeAndTheBackendKeepsServing() {
        AtomicBoolean hung = new AtomicBoolean(true);
        QpuFleet fleet = new QpuFleet((profile, options) -> new HangingDevice(profile, options, hung));
        try (OperatorHarness h = new OperatorHarness(client, fleet)) {
            h.apply(Yaml.backend("qpu", 1, 0.001));
            h.apply(Yaml.instance("research", "premium", true));
            long t0 = System.nanoTime();
            h.apply(Yaml.job("stuck", "backend: qpu\nmaxExecutionTime: \"2s\"", 100));
            QuantumJob stuck = h.awaitJob("stuck", phase(JobPhase.CANCELLED), T);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(stuck.getStatus().getReason()).isEqualTo("MaxExecutionTimeExceeded");
            assertThat(stuck.getStatus().getMessage()).contains("maxExecutionTime");
            assertThat(seconds).as("stopped after its 2 s, not long after").isBetween(2.0, 8.0);
            assertThat(((HangingDevice) fleet.device("qpu").orElseThrow()).swallowed.get()).as("reports swallowed").isPositive();

            hung.set(false);
            h.apply(Yaml.job("after", "backend: qpu", 100));
            assertThat(h.awaitJob("after", phase(JobPhase.COMPLETED), T).getStatus().getAttempts()).isEqualTo(1);
        }
    }

    @Test
    void aKilledDeviceRetriesItsRunningJobOnceThenFailsItAndTheSessionKeepsItsDeadlines() {
        try (OperatorHarness h = new OperatorHarness(client)) {
            h.apply(Yaml.backend("qpu", 1, 0.3)); // 20,000 shots ≈ 1.8 s on the QPU
            h.apply(Yaml.instance("research", "premium", true));
            h.apply(Yaml.session("vqe", "qpu", "research", "1h", "60s"));
            h.apply(Yaml.job("long", "sessionRef:\n  name: vqe", 20_000));
            h.awaitJob("long", phase(JobPhase.RUNNING), T);
            await().atMost(T).until(() -> h.session("vqe").getStatus().getMaxTTLDeadline() != null);
            var before = h.session("vqe").getStatus();

            kill(h, "QPU device killed (test)");
            h.awaitJob("long", phase(JobPhase.QUEUED), T); // to be retried: attempt 2 once the backend is back
            await().atMost(T).until(() -> Boolean.FALSE.equals(backendStatus(h).getAvailable()));

            revive(h);
            h.awaitJob("long", j -> phase(JobPhase.RUNNING).test(j) && Integer.valueOf(2).equals(j.getStatus().getAttempts()), T);
            kill(h, "QPU device killed again (test)");
            QuantumJob failed = h.awaitJob("long", phase(JobPhase.FAILED), T);
            assertThat(failed.getStatus().getReason()).isEqualTo("BackendUnavailable");
            assertThat(failed.getStatus().getMessage()).isNotBlank();
            assertThat(failed.getStatus().getAttempts()).isEqualTo(2);

            revive(h);
            h.apply(Yaml.job("next", "sessionRef:\n  name: vqe", 100));
            h.awaitJob("next", phase(JobPhase.COMPLETED), T);
            var after = h.session("vqe").getStatus();
            assertThat(after.getStartedAt()).isEqualTo(before.getStartedAt());
            assertThat(after.getMaxTTLDeadline()).isEqualTo(before.getMaxTTLDeadline());
        }
    }

    /** The device dies (its jobs are gone) and the operator hears of it, as the pod watch reports a dead pod. */
    private void kill(OperatorHarness h, String why) {
        var d = (io.kubeqpu.simulator.device.InProcessQpuDevice) h.fleet.device("qpu").orElseThrow();
        profile = d.backend();
        options = d.options();
        h.fleet.remove("qpu");
        h.core.apply(new Event.BackendAvailability("qpu", false, why));
    }

    /** A fresh device comes up and the operator hears the backend is up again, as a ready pod would report. */
    private void revive(OperatorHarness h) {
        h.fleet.ensure("qpu", profile, options);
        h.core.apply(new Event.BackendAvailability("qpu", true, null));
        await().atMost(T).until(() -> h.fleet.device("qpu").isPresent() && Boolean.TRUE.equals(backendStatus(h).getAvailable()));
    }

    private static io.kubeqpu.api.v1alpha1.QuantumBackendStatus backendStatus(OperatorHarness h) {
        var b = h.client.resources(QuantumBackend.class).withName("qpu").get();
        return b.getStatus() == null ? new io.kubeqpu.api.v1alpha1.QuantumBackendStatus() : b.getStatus();
    }

    static Predicate<QuantumJob> phase(JobPhase p) {
        return j -> j.getStatus() != null && j.getStatus().getPhase() == p;
    }
}
