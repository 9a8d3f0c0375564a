package io.kubeqpu.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.controller.ManifestApplier;
import io.kubeqpu.controller.OperatorHarness;
import io.kubeqpu.local.apiserver.EmbeddedApiServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: one object whose numbers the operator's Java model cannot hold (a job seed of 2^70, a backend's
 * {@code limits.maxShots: 1e20}, a batch template seed of 2^70) must not stop an informer. The CRDs refuse them at
 * apply; an object that got in anyway (written under an older, unbounded schema: planted here by applying CRDs with
 * their bounds removed) is reported on itself and skipped, and every other tenant's jobs still run.
 */
class PoisonObjectTest {
    static final String TWO_TO_70 = "1180591620717411303424";

    KubernetesMockServer server;
    KubernetesClient client;
    OperatorHarness h;

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.create();
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        h = new OperatorHarness(client);
        h.apply(Yaml.backend("qpu", 2, 0.001));
        h.apply(Yaml.instance("research", "premium", true));
        ManifestApplier.apply(client, Yaml.instance("other", "premium", true), "other");
    }

    @AfterEach
    void stop() {
        h.close();
        client.close();
        server.destroy();
    }

    @Test
    void theApiServerRefusesNumbersTheModelCannotHoldNamingTheField() {
        assertThat(refusal(poisonJob("poison"))).contains("spec.seed");
        assertThat(refusal(poisonBackend())).contains("spec.limits.maxShots");
        assertThat(refusal(poisonBatch())).contains("spec.jobs[0].spec.seed");
        canaryCompletes("canary");
    }

    @Test
    void anObjectThatGotInAnywayIsReportedAndSkippedWhileEveryoneElseRuns() {
        unboundedCrds();
        createRaw(poisonJob("poison"), "default");
        createRaw(poisonBackend(), null);
        createRaw(poisonBatch(), "default");

        canaryCompletes("canary");
        // Jobs applied after the poison one, in its own namespace and on the backend its neighbour poisoned, run.
        h.apply(Yaml.job("after", "backend: qpu", 100));
        h.awaitJob("after", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, Duration.ofSeconds(30));

        // The poison job ends Failed with a reason naming the field; it never ran with a made-up seed.
        var st = h.awaitJob("poison", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.FAILED, Duration.ofSeconds(30)).getStatus();
        assertThat(st.getReason()).isEqualTo("InvalidSpec");
        assertThat(st.getMessage()).contains("spec.seed").contains(TWO_TO_70);
        var batch = h.batch("poison-batch");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> h.batch("poison-batch").getStatus() != null
                && h.batch("poison-batch").getStatus().getPhase() == io.kubeqpu.api.v1alpha1.WorkloadPhase.REJECTED);
        assertThat(h.batch("poison-batch").getStatus().getMessage()).contains("spec.jobs[0].spec.seed");
        assertThat(batch).isNotNull();
        // The backend is told on itself: an Event names the field.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> client.v1().events().inAnyNamespace().list().getItems().stream()
                .anyMatch(e -> "poison-qpu".equals(e.getInvolvedObject().getName()) && e.getMessage() != null
                        && e.getMessage().contains("spec.limits.maxShots")));

        // Deleting the poison objects leaves a working operator; a job created afterwards runs too.
        client.genericKubernetesResources("quantum.kubeqpu.io/v1alpha1", "QuantumJob").inNamespace("default").withName("poison").delete();
        h.apply(Yaml.job("later", "backend: qpu", 100));
        h.awaitJob("later", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, Duration.ofSeconds(30));
    }

    private void canaryCompletes(String name) {
        ManifestApplier.apply(client, Yaml.job(name, "backend: qpu", 100), "other");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            var j = client.resources(io.kubeqpu.api.v1alpha1.QuantumJob.class).inNamespace("other").withName(name).get();
            return j != null && j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED;
        });
    }

    static String poisonJob(String name) {
        return Yaml.job(name, "backend: qpu", 100).replace("seed: 7", "seed: " + TWO_TO_70);
    }

    static String poisonBackend() {
        return Yaml.backend("poison-qpu", 1, 0.001).replaceFirst("(?m)^spec:\n", "spec:\n  limits:\n    maxShots: 1e20\n");
    }

    static String poisonBatch() {
        return Yaml.batch("poison-batch", "qpu", "research", 1, 100).replaceFirst("(?m)^( *)primitive: sampler$", "$1primitive: sampler\n$1seed: " + TWO_TO_70);
    }

    private String refusal(String yaml) {
        try {
            createRaw(yaml, "default");
        } catch (KubernetesClientException e) {
            assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + yaml);
    }

    /** Sent as written, untyped: a typed client could not even hold the number. */
    private void createRaw(String yaml, String ns) {
        GenericKubernetesResource r = client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
        var ops = client.genericKubernetesResources(r.getApiVersion(), r.getKind());
        (r.getKind().equals("QuantumBackend") ? ops.resource(r) : ops.inNamespace(ns).resource(r)).create();
    }

    /** The CRDs as an older release (or a hand edit) had them: no numeric bounds. */
    private void unboundedCrds() {
        try (Stream<Path> files = Files.list(Path.of("crds"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml")).toList()) {
                CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(Files.readString(f), CustomResourceDefinition.class);
                crd.getSpec().getVersions().forEach(v -> unbound(v.getSchema().getOpenAPIV3Schema()));
                crd.getMetadata().setResourceVersion(null);
                client.apiextensions().v1().customResourceDefinitions().resource(crd).update();
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void unbound(JSONSchemaProps s) {
        if (s == null) return;
        if ("integer".equals(s.getType()) || "number".equals(s.getType())) {
            s.setMinimum(null);
            s.setMaximum(null);
        }
        if (s.getProperties() != null) s.getProperties().values().forEach(PoisonObjectTest::unbound);
        if (s.getItems() != null) {
            unbound(s.getItems().getSchema());
            if (s.getItems().getJSONSchemas() != null) s.getItems().getJSONSchemas().forEach(PoisonObjectTest::unbound);
        }
        if (s.getAdditionalProperties() != null) unbound(s.getAdditionalProperties().getSchema());
    }
}
