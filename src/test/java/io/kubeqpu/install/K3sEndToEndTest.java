package io.kubeqpu.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumBatch;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.QuantumSession;
import io.kubeqpu.api.v1alpha1.WorkloadPhase;
import io.kubeqpu.controller.ManifestApplier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * End to end on a real cluster: k3s in Docker (Testcontainers), the chart installed with Helm (CRDs included),
 * config/samples/ applied, a job, a batch and a session run to completion with results, then a clean uninstall.
 *
 * <p>Needs Docker and the operator image saved as a tarball, which k3s imports at start (no registry needed):
 * <pre>
 * ./mvnw -B package -DskipTests && docker build -t kubeqpu:e2e . && docker save kubeqpu:e2e -o target/kubeqpu-e2e.tar
 * ./mvnw -B test -Dtest=K3sEndToEndTest
 * </pre>
 * Skipped without Docker ({@code disabledWithoutDocker}), and without the tarball (an assumption says which file).
 * Image and tarball: {@code KUBEQPU_E2E_IMAGE} (default {@code kubeqpu:e2e}), {@code KUBEQPU_E2E_IMAGE_TAR}
 * (default {@code target/kubeqpu-e2e.tar}); k3s version: {@code KUBEQPU_E2E_K3S} (default below).
 */
@Testcontainers(disabledWithoutDocker = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class K3sEndToEndTest {
    static final String K3S = System.getenv().getOrDefault("KUBEQPU_E2E_K3S", "rancher/k3s:v1.31.4-k3s1");
    static final String IMAGE = System.getenv().getOrDefault("KUBEQPU_E2E_IMAGE", "kubeqpu:e2e");
    static final Path IMAGE_TAR = Path.of(System.getenv().getOrDefault("KUBEQPU_E2E_IMAGE_TAR", "target/kubeqpu-e2e.tar"));
    static final String NS = "kubeqpu-system";
    static final Duration T = Duration.ofMinutes(5);

    static K3sContainer k3s;
    static KubernetesClient client;
    static Path kubeconfig;

    @BeforeAll
    static void installTheChartOnK3s() throws Exception {
        assumeTrue(Files.isRegularFile(IMAGE_TAR), "no operator image tarball at " + IMAGE_TAR.toAbsolutePath()
                + ": build it with `./mvnw -B package -DskipTests && docker build -t " + IMAGE + " . && docker save "
                + IMAGE + " -o " + IMAGE_TAR + "`");
        k3s = new K3sContainer(DockerImageName.parse(K3S))
                // k3s imports image tarballs found here at start: the cluster runs the image without a registry.
                .withCopyFileToContainer(MountableFile.forHostPath(IMAGE_TAR), "/var/lib/rancher/k3s/agent/images/kubeqpu.tar");
        k3s.start();
        kubeconfig = Files.createTempFile("k3s-kubeconfig", ".yaml");
        Files.writeString(kubeconfig, k3s.getKubeConfigYaml());
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml())).build();

        String repository = IMAGE.substring(0, IMAGE.lastIndexOf(':'));
        String tag = IMAGE.substring(IMAGE.lastIndexOf(':') + 1);
        Release release = new Helm(RenderedChart.CHART).install().withName("kubeqpu").withNamespace(NS).createNamespace()
                .withKubeConfig(kubeconfig).set("image.repository", repository).set("image.tag", tag)
                .set("image.pullPolicy", "Never").set("operator.logLevel", "DEBUG").waitReady().withTimeout(300).call();
        assertThat(release.getStatus()).isEqualTo("deployed");
    }

    @AfterAll
    static void stopK3s() throws Exception {
        if (client != null) client.close();
        if (k3s != null) k3s.stop();
        if (kubeconfig != null) Files.deleteIfExists(kubeconfig);
    }

    @Test
    @Order(1)
    void theChartInstallsTheCrdsAndAReadyOperator() {
        assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems())
                .extracting(c -> c.getMetadata().getName())
                .contains("quantumbackends.quantum.kubeqpu.io", "quantuminstances.quantum.kubeqpu.io",
                        "quantumjobs.quantum.kubeqpu.io", "quantumbatches.quantum.kubeqpu.io", "quantumsessions.quantum.kubeqpu.io");
        Deployment d = client.apps().deployments().inNamespace(NS).withName("kubeqpu").get();
        assertThat(d.getStatus().getReadyReplicas()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void theSamplesRunAJobABatchAndASessionToCompletionWithResults() throws Exception {
        for (Path sample : OperatorApiCalls.samples()) ManifestApplier.apply(client, Files.readString(sample), "default");

        QuantumJob bell = awaitJob("bell", JobPhase.COMPLETED);
        assertThat(result(bell)).contains("\"counts\"");

        await().atMost(T).pollInterval(Duration.ofSeconds(2)).until(() -> {
            QuantumBatch b = client.resources(QuantumBatch.class).inNamespace("default").withName("rx-sweep").get();
            return b.getStatus() != null && b.getStatus().getPhase() == WorkloadPhase.CLOSED;
        });
        List<QuantumJob> batchJobs = client.resources(QuantumJob.class).inNamespace("default").list().getItems().stream()
                .filter(j -> j.getMetadata().getName().startsWith("rx-sweep-")).toList();
        assertThat(batchJobs).hasSize(10).allSatisfy(j -> {
            assertThat(j.getStatus().getPhase()).isEqualTo(JobPhase.COMPLETED);
            assertThat(result(j)).contains("\"counts\"");
        });

        for (String name : List.of("vqe-iter-1", "vqe-iter-2", "vqe-iter-3"))
            assertThat(result(awaitJob(name, JobPhase.COMPLETED))).contains("\"evs\"");
        QuantumSession vqe = client.resources(QuantumSession.class).inNamespace("default").withName("vqe").get();
        assertThat(vqe.getStatus().getStartedAt()).isNotNull();

        await().atMost(T).pollInterval(Duration.ofSeconds(2)).until(() -> {
            QuantumSession s = client.resources(QuantumSession.class).inNamespace("default").withName("students-session").get();
            return s.getStatus() != null && s.getStatus().getPhase() == WorkloadPhase.REJECTED;
        });
    }

    @Test
    @Order(3)
    void uninstallingLeavesNothingBehind() {
        // Workloads first, while the operator still runs to release their finalizers; then the release; then the CRDs
        // (Helm never deletes CRDs: deleting them deletes every user's objects).
        client.resources(QuantumSession.class).inAnyNamespace().delete();
        client.resources(QuantumBatch.class).inAnyNamespace().delete();
        client.resources(QuantumJob.class).inAnyNamespace().delete();
        await().atMost(T).until(() -> client.resources(QuantumJob.class).inAnyNamespace().list().getItems().isEmpty()
                && client.resources(QuantumSession.class).inAnyNamespace().list().getItems().isEmpty()
                && client.resources(QuantumBatch.class).inAnyNamespace().list().getItems().isEmpty());
        client.resources(io.kubeqpu.api.v1alpha1.QuantumInstance.class).inAnyNamespace().delete();
        client.resources(io.kubeqpu.api.v1alpha1.QuantumBackend.class).delete();
        await().atMost(T).until(() -> client.resources(io.kubeqpu.api.v1alpha1.QuantumBackend.class).list().getItems().isEmpty());

        Helm.uninstall("kubeqpu").withNamespace(NS).withKubeConfig(kubeconfig).call();
        await().atMost(T).until(() -> client.apps().deployments().inNamespace(NS).withName("kubeqpu").get() == null);
        assertThat(client.rbac().clusterRoles().withName("kubeqpu").get()).isNull();
        assertThat(client.rbac().clusterRoleBindings().withName("kubeqpu").get()).isNull();

        client.apiextensions().v1().customResourceDefinitions().list().getItems().stream()
                .filter(c -> c.getSpec().getGroup().equals("quantum.kubeqpu.io"))
                .forEach(c -> client.resource(c).delete());
        await().atMost(T).until(() -> client.apiextensions().v1().customResourceDefinitions().list().getItems().stream()
                .map(CustomResourceDefinition::getSpec).noneMatch(s -> s.getGroup().equals("quantum.kubeqpu.io")));
        assertThat(client.configMaps().inNamespace("default").list().getItems()).extracting(ConfigMap::getMetadata)
                .noneMatch(m -> m.getName().endsWith("-result"));
    }

    QuantumJob awaitJob(String name, JobPhase phase) {
        await().atMost(T).pollInterval(Duration.ofSeconds(1)).until(() -> {
            QuantumJob j = client.resources(QuantumJob.class).inNamespace("default").withName(name).get();
            return j != null && j.getStatus() != null && j.getStatus().getPhase() == phase && j.getStatus().getResultRef() != null;
        });
        return client.resources(QuantumJob.class).inNamespace("default").withName(name).get();
    }

    String result(QuantumJob job) {
        ConfigMap cm = client.configMaps().inNamespace("default").withName(job.getStatus().getResultRef().getName()).get();
        assertThat(cm).as("result ConfigMap of " + job.getMetadata().getName()).isNotNull();
        return cm.getData() != null && cm.getData().containsKey("result.json") ? cm.getData().get("result.json")
                : gunzip(java.util.Base64.getDecoder().decode(cm.getBinaryData().get("result.json.gz")));
    }

    static String gunzip(byte[] gz) {
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
