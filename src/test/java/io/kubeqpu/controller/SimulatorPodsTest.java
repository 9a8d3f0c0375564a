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

    private void setReady(int replicas) {
        Deployment d = client.apps().deployments().inNamespace(NS).withName("kubeqpu-sim-eagle").get();
        d.setStatus(new DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(replicas).build());
        client.apps().deployments().inNamespace(NS).resource(d).updateStatus();
    }
}
