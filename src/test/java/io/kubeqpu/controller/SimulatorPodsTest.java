package io.kubeqpu.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.dispatch.QpuFleet;
import io.kubeqpu.dispatch.SimulatorPods;
import io.kubeqpu.simulator.BackendProfile;
import io.kubeqpu.simulator.device.DeviceOptions;
import io.kubeqpu.simulator.http.SimulatorHttpClient;
import io.kubeqpu.simulator.http.SimulatorServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The cluster mode: each backend gets a simulator Deployment and Service; jobs reach the QPU over HTTP; a backend
 * whose pods are not ready takes no jobs; a pod that dies mid-job has its job retried once.
 * Here the "pod" is a SimulatorServer on loopback, reached through the same HTTP client.
 */
@EnableKubernetesMockClient(crud = true)
class SimulatorPodsTest {
    static final Duration T = Duration.ofSeconds(40);
    static final String NS = "kubeqpu-system";
    KubernetesClient client;

    @Test
    void desiredObjectsAreLockedDownAndCarryTheProfile() throws Exception {
        QuantumBackend b = client.getKubernetesSerialization().unmarshal(Manifests.backend("eagle", 2, 0.5), QuantumBackend.class);
        b.getMetadata().setUid("uid-1");
        SimulatorPods pods = new SimulatorPods(client, NS, "ghcr.io/kubeqpu/kubeqpu:1");
        BackendProfile profile = SpecMapper.profile(b);
        Deployment d = pods.desiredDeployment(b, profile, SpecMapper.deviceOptions(b));
        var pod = d.getSpec().getTemplate().getSpec();
        var c = pod.getContainers().get(0);
        assertThat(c.getArgs()).containsExactly("simulator");
        assertThat(c.getImage()).isEqualTo("ghcr.io/kubeqpu/kubeqpu:1");
        assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(d.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-1"));
        String json = c.getEnv().stream().filter(e -> e.getName().equals("KUBEQPU_BACKEND_PROFILE")).findFirst().orElseThrow().getValue();
        var mapper = new ObjectMapper().configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        assertThat(mapper.readValue(json, BackendProfile.class)).isEqualTo(profile);
        String opts = c.getEnv().stream().filter(e -> e.getName().equals("KUBEQPU_DEVICE_OPTIONS")).findFirst().orElseThrow().getValue();
        assertThat(mapper.readValue(opts, DeviceOptions.class).parallelism()).isEqualTo(2);
        assertThat(pods.desiredService(b).getSpec().getSelector()).containsEntry("quantum.kubeqpu.io/backend", "eagle");
        // One QPU per backend: one pod, replaced (not rolled) on an update.
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    }

    @Test
    void jobsWaitForReadyPodsRunOverHttpAndSurviveAPodDeath() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + port);
        SimulatorPods pods = new SimulatorPods(client, NS, "kubeqpu:dev");
        QpuFleet fleet = new QpuFleet((profile, options) -> new SimulatorHttpClient(url));
        BackendProfile[] profile = new BackendProfile[1];
        try (OperatorHarness h = new OperatorHarness(client, fleet, pods)) {
            h.apply(Manifests.backend("eagle", 1, 1.0));
            h.apply(Manifests.instance("research", "premium", true));
            await().atMost(T).until(() -> client.apps().deployments().inNamespace(NS).withName("kubeqpu-sim-eagle").get() != null);
            await().atMost(T).until(() -> client.services().inNamespace(NS).withName("kubeqpu-sim-eagle").get() != null);

            h.apply(Manifests.job("first", "eagle", ""));
            Thread.sleep(1500);
            assertThat(h.job("first").getStatus().getPhase()).isEqualTo(JobPhase.QUEUED);
            await().atMost(T).until(() -> {
                var st = client.resources(QuantumBackend.class).withName("eagle").get().getStatus();
                return st != null && Boolean.FALSE.equals(st.getAvailable());
            });

            // The pod comes up: the simulator answers and the Deployment reports a ready replica.
            profile[0] = SpecMapper.profile(client.resources(QuantumBackend.class).withName("eagle").get());
            SimulatorServer pod = SimulatorServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    new io.kubeqpu.simulator.device.InProcessQpuDevice(profile[0], DeviceOptions.defaults()));
            setReady(1);
            h.awaitJob("first", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, T);
            await().atMost(T).until(() -> h.job("first").getStatus().getResultRef() != null);

            // A long job; the pod dies while it runs and a new one comes up: the job is retried once.
            h.apply(Manifests.job("second", "eagle", "").replace("shots: 100", "shots: 20000")); // ~6 s on the QPU
            h.awaitJob("second", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.RUNNING, T);
            pod.close();
            setReady(0);
            h.awaitJob("second", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.QUEUED, T);
            SimulatorServer again = SimulatorServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    new io.kubeqpu.simulator.device.InProcessQpuDevice(profile[0], DeviceOptions.defaults()));
            try {
                setReady(1);
                var second = h.awaitJob("second", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, T);
                assertThat(second.getStatus().getAttempts()).isEqualTo(2);
            } finally {
                again.close();
            }
        }
    }

    /**
     * The backend follows its Deployment's ready replicas as they change (an informer on the simulator Deployments),
     * not at the next poll: it polled every 2 s while not ready and every 10 s for health, so a backend whose pod
     * came up waited up to 2 s to take jobs, and one whose pod died was offered jobs for up to 10 s.
     */
    @Test
    void theBackendFollowsItsDeploymentsReadinessWithoutPolling() throws Exception {
        SimulatorPods pods = new SimulatorPods(client, NS, "kubeqpu:dev");
        QpuFleet fleet = new QpuFleet((profile, options) -> new SimulatorHttpClient(URI.create("http://127.0.0.1:9")));
        try (OperatorHarness h = new OperatorHarness(client, fleet, pods)) {
            h.apply(Manifests.backend("eagle", 1, 1.0));
            await().atMost(T).until(() -> client.apps().deployments().inNamespace(NS).withName("kubeqpu-sim-eagle").get() != null);
            await().atMost(T).until(() -> Boolean.FALSE.equals(available()));
            // Per change: how long until the scheduler has the backend up (down), and until its status says so. The
            // status writer writes a backend at most once a second: each change comes after that second has passed.
            java.util.List<String> up = new java.util.ArrayList<>(), down = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                up.add(flip(h, 1));
                down.add(flip(h, 0));
            }
            System.out.printf("simulator Deployment ready -> backend up in the scheduler / Available in its status: %s ms;"
                    + " not ready -> down / Unavailable: %s ms%n", up, down);
        }
    }

    /** Sets the ready replicas; returns "scheduler/status" latencies in ms, each well under the old polls (2 s, 10 s). */
    private String flip(OperatorHarness h, int ready) throws InterruptedException {
        Thread.sleep(StatusRecorder.THROTTLE_MILLIS + 100);
        long t0 = System.nanoTime();
        setReady(ready);
        await().atMost(T).pollInterval(Duration.ofMillis(2)).until(() -> h.core.scheduler().backend("eagle")
                .map(io.kubeqpu.scheduler.BackendView::up).orElse(false) == (ready > 0));
        long scheduler = (System.nanoTime() - t0) / 1_000_000;
        await().atMost(T).pollInterval(Duration.ofMillis(5)).until(() -> Boolean.valueOf(ready > 0).equals(available()));
        long status = (System.nanoTime() - t0) / 1_000_000;
        assertThat(scheduler).as("ready replicas %d -> scheduler", ready).isLessThan(500);
        assertThat(status).as("ready replicas %d -> status", ready).isLessThan(1000);
        return scheduler + "/" + status;
    }

    /** A simulator Deployment deleted by hand is made again at once (its informer's delete event), owner and all. */
    @Test
    void aDeletedSimulatorDeploymentIsMadeAgain() throws Exception {
        SimulatorPods pods = new SimulatorPods(client, NS, "kubeqpu:dev");
        QpuFleet fleet = new QpuFleet((profile, options) -> new SimulatorHttpClient(URI.create("http://127.0.0.1:9")));
        try (OperatorHarness h = new OperatorHarness(client, fleet, pods)) {
            h.apply(Manifests.backend("eagle", 1, 1.0));
            var deployments = client.apps().deployments().inNamespace(NS);
            await().atMost(T).until(() -> deployments.withName("kubeqpu-sim-eagle").get() != null);
            String uid = deployments.withName("kubeqpu-sim-eagle").get().getMetadata().getUid();
            deployments.withName("kubeqpu-sim-eagle").delete();
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                Deployment d = deployments.withName("kubeqpu-sim-eagle").get();
                return d != null && !uid.equals(d.getMetadata().getUid());
            });
            Deployment again = deployments.withName("kubeqpu-sim-eagle").get();
            assertThat(again.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(o -> assertThat(o.getName()).isEqualTo("eagle"));
            // An edit of the backend reaches its Deployment (the desired object's hash changed).
            h.apply(Manifests.backend("eagle", 3, 1.0));
            await().atMost(Duration.ofSeconds(5)).until(() -> deployments.withName("kubeqpu-sim-eagle").get().getSpec().getTemplate()
                    .getSpec().getContainers().get(0).getEnv().stream().anyMatch(e -> e.getName().equals("KUBEQPU_DEVICE_OPTIONS")
                            && e.getValue().contains("\"parallelism\":3")));
        }
    }

    private Boolean available() {
        var b = client.resources(QuantumBackend.class).withName("eagle").get();
        return b == null || b.getStatus() == null ? null : b.getStatus().getAvailable();
    }

    private void setReady(int replicas) {
        Deployment d = client.apps().deployments().inNamespace(NS).withName("kubeqpu-sim-eagle").get();
        d.setStatus(new DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(replicas).build());
        client.apps().deployments().inNamespace(NS).resource(d).updateStatus();
    }
}
