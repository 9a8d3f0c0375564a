package io.kubeqpu.local.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubeqpu.local.LocalCluster;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The embedded API server over HTTP, as any client sees it: admission on every write path, Status bodies, tables. */
class EmbeddedApiServerTest {
    private KubernetesMockServer server;
    private KubernetesClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.create();
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        LocalCluster.installCrds(client);
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    private GenericKubernetesResource resource(String yaml) {
        return client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    }

    private static final String JOB = """
            apiVersion: quantum.kubeqpu.io/v1alpha1
            kind: QuantumJob
            metadata: {name: bell, namespace: default}
            spec: {backend: qpu, primitive: sampler, pubs: [{circuit: "OPENQASM 3.0;"}]}
            """;

    @Test
    void aCreateBreakingACelRuleIsA422InvalidStatusWithCauses() {
        String bad = JOB.replace("backend: qpu,", "sessionRef: {name: s}, batchRef: {name: b},").replace("bell", "bad");
        assertThatThrownBy(() -> client.resource(resource(bad)).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    Status status = e.getStatus();
                    assertThat(status.getCode()).isEqualTo(422);
                    assertThat(status.getReason()).isEqualTo("Invalid");
                    assertThat(status.getMessage()).isEqualTo("QuantumJob.quantum.kubeqpu.io \"bad\" is invalid: "
                            + "spec: Invalid value: \"object\": set at most one of sessionRef and batchRef");
                    assertThat(status.getDetails().getKind()).isEqualTo("QuantumJob");
                    assertThat(status.getDetails().getCauses()).singleElement().satisfies(c -> {
                        assertThat(c.getField()).isEqualTo("spec");
                        assertThat(c.getReason()).isEqualTo("FieldValueInvalid");
                        assertThat(c.getMessage()).isEqualTo("Invalid value: \"object\": set at most one of sessionRef and batchRef");
                    });
                });
        assertThat(client.genericKubernetesResources("quantum.kubeqpu.io/v1alpha1", "QuantumJob").inNamespace("default")
                .withName("bad").get()).isNull();
    }

    @Test
    void updatesAndPatchesRunTransitionRulesAgainstTheStoredObject() {
        client.resource(resource(JOB)).create();
        var jobs = client.genericKubernetesResources("quantum.kubeqpu.io/v1alpha1", "QuantumJob").inNamespace("default");
        assertThatThrownBy(() -> jobs.withName("bell").edit(j -> {
            ((java.util.Map<String, Object>) j.getAdditionalProperties().get("spec")).put("backend", "other");
            return j;
        })).hasMessageContaining("backend is immutable");
        assertThatThrownBy(() -> jobs.withName("bell").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"primitive\":\"estimator\"}}")).hasMessageContaining("primitive is immutable");
        assertThatThrownBy(() -> jobs.withName("bell").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"replace\",\"path\":\"/spec/pubs/0/circuit\",\"value\":\"x\"}]"))
                .hasMessageContaining("pubs is immutable");
        // A change no rule forbids goes through, and generation moves.
        var labelled = jobs.withName("bell").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
        assertThat(labelled.getMetadata().getLabels()).containsEntry("a", "b");
    }

    @Test
    void statusWritesSkipSpecRulesButNotTheStatusSchema() {
        client.resource(resource(JOB)).create();
        var jobs = client.genericKubernetesResources("quantum.kubeqpu.io/v1alpha1", "QuantumJob").inNamespace("default");
        GenericKubernetesResource job = jobs.withName("bell").get();
        job.setAdditionalProperty("status", java.util.Map.of("phase", "Queued"));
        assertThat(jobs.resource(job).updateStatus().getAdditionalProperties().get("status"))
                .isEqualTo(java.util.Map.of("phase", "Queued"));
        job = jobs.withName("bell").get();
        job.setAdditionalProperty("status", java.util.Map.of("phase", "Waiting"));
        GenericKubernetesResource invalid = job;
        assertThatThrownBy(() -> jobs.resource(invalid).updateStatus())
                .hasMessageContaining("status.phase: Unsupported value: \"Waiting\"");
    }

    @Test
    void defaultsAndPruningHappenOnTheServer() {
        String yaml = """
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumSession
                metadata: {name: s, namespace: default}
                spec: {backend: qpu, colour: blue}
                """;
        GenericKubernetesResource stored = client.resource(resource(yaml)).create();
        @SuppressWarnings("unchecked")
        var spec = (java.util.Map<String, Object>) stored.getAdditionalProperties().get("spec");
        assertThat(spec).containsEntry("maxTTL", "8h").containsEntry("interactiveTTL", "60s")
                .containsEntry("acceptingJobs", true).doesNotContainKey("colour");
    }

    @Test
    void strategicMergePatchOnACustomResourceIsUnsupportedMediaType() throws Exception {
        client.resource(resource(JOB)).create();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url(
                "/apis/quantum.kubeqpu.io/v1alpha1/namespaces/default/quantumjobs/bell")))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"metadata\":{\"labels\":{\"a\":\"b\"}}}"))
                .header("Content-Type", "application/strategic-merge-patch+json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.body()).contains("\"reason\":\"UnsupportedMediaType\"");
    }

    @Test
    void discoveryListsTheCrdsWithShortNamesCategoriesAndStatus() throws Exception {
        String body = get("/apis/quantum.kubeqpu.io/v1alpha1", "application/json");
        assertThat(body).contains("\"name\":\"quantumjobs\"", "\"shortNames\":[\"qjob\"]", "\"categories\":[\"quantum\"]",
                "\"name\":\"quantumjobs/status\"", "\"singularName\":\"quantumjob\"");
        assertThat(get("/apis", "application/json")).contains("\"name\":\"quantum.kubeqpu.io\"", "\"name\":\"apiextensions.k8s.io\"");
        assertThat(get("/api/v1", "application/json")).contains("\"name\":\"configmaps\"", "\"name\":\"events\"");
    }

    @Test
    void getAsTableUsesThePrinterColumns() throws Exception {
        client.resource(resource(JOB)).create();
        String table = get("/apis/quantum.kubeqpu.io/v1alpha1/namespaces/default/quantumjobs",
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        assertThat(table).contains("\"kind\":\"Table\"", "\"name\":\"Phase\"", "\"name\":\"Backend\"", "\"name\":\"Age\"",
                "\"cells\":[\"bell\",null,null,null,null,null,null,\"");
    }

    private String get(String path, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url(path))).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aDryRunIsValidatedAndAnsweredButNothingIsStoredOrDeleted() {
        // kubectl diff and apply --dry-run=server send dryRun=All; before, this server applied the change.
        var created = client.resource(resource(JOB)).dryRun().create();
        assertThat(created.getMetadata().getName()).isEqualTo("bell");
        assertThat(client.genericKubernetesResources("quantum.kubeqpu.io/v1alpha1", "QuantumJob").inNamespace("default").withName("bell").get()).isNull();

        var stored = client.resource(resource(JOB)).create();
        String version = stored.getMetadata().getResourceVersion();
        var patched = client.genericKubernetesResources("quantum.kubeqpu.io/v1alpha1", "QuantumJob").inNamespace("default").withName("bell")
                .dryRun().patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"team\":\"b\"}}}");
        assertThat(patched.getMetadata().getLabels()).containsEntry("team", "b");
        var after = client.genericKubernetesResources("quantum.kubeqpu.io/v1alpha1", "QuantumJob").inNamespace("default").withName("bell").get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(after.getMetadata().getLabels() == null ? Map.of() : after.getMetadata().getLabels()).doesNotContainKey("team");

        // Still validated: a dry run of a bad change is refused like the real one.
        assertThatThrownBy(() -> client.genericKubernetesResources("quantum.kubeqpu.io/v1alpha1", "QuantumJob").inNamespace("default")
                .withName("bell").dryRun().patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"shots\":0}}"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));

        client.genericKubernetesResources("quantum.kubeqpu.io/v1alpha1", "QuantumJob").inNamespace("default").withName("bell").dryRun().delete();
        assertThat(client.genericKubernetesResources("quantum.kubeqpu.io/v1alpha1", "QuantumJob").inNamespace("default").withName("bell").get()).isNotNull();

        client.configMaps().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("cm").endMetadata().addToData("a", "1").build()).dryRun().create();
        assertThat(client.configMaps().inNamespace("default").withName("cm").get()).isNull();
    }
}
