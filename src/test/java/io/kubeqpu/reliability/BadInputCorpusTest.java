package io.kubeqpu.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.controller.OperatorHarness;
import io.kubeqpu.local.apiserver.EmbeddedApiServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every manifest in {@code src/test/resources/bad-input/} (its first line says {@code # expect: 422|Failed|Rejected})
 * is applied to the embedded API server (schema + CEL validation) with the operator running: it is refused with 422
 * and a message (never CEL's "rule evaluation error"), or ends Failed/Rejected with a reason and a message that
 * shows no raw control character (a NUL is named U+0000). A good job submitted alongside completes.
 * Unknown references wait out the operator's 30 s grace period, so this test takes about 35 s.
 */
class BadInputCorpusTest {
    static final Path CORPUS = Path.of("src/test/resources/bad-input");

    @Test
    void everyBadManifestIsRefusedOrFailsWithAReasonWhileAGoodJobCompletes() throws Exception {
        KubernetesMockServer server = EmbeddedApiServer.create();
        server.init(InetAddress.getLoopbackAddress(), 0);
        List<Path> files;
        try (Stream<Path> s = Files.list(CORPUS)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(45);
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<String, String> awaiting = new TreeMap<>();
        List<String> mismatches = new java.util.ArrayList<>(); // file → kind/name that must end Failed or Rejected
        try (KubernetesClient client = server.createClient(); OperatorHarness h = new OperatorHarness(client)) {
            h.apply(Yaml.backend("qpu", 2, 0.001));
            h.apply(Yaml.instance("research", "premium", true));
            h.apply(Yaml.instance("students", "open", false));
            for (Path f : files) {
                String text = Files.readString(f);
                String expect = text.lines().findFirst().orElseThrow().replace("# expect:", "").strip();
                String name = f.getFileName().toString();
                if (expect.equals("422")) {
                    String refusal = refusal(client, text);
                    if (refusal == null || refusal.isBlank()) mismatches.add(name + ": accepted, expected 422");
                    // A rule the API server could not evaluate is not a reason in the user's words.
                    else if (refusal.contains("rule evaluation error")) mismatches.add(name + ": refused without naming why: " + refusal);
                    else outcomes.merge("rejected at apply (422)", 1, Integer::sum);
                } else {
                    String refused = refusal(client, text);
                    if (refused != null) {
                        mismatches.add(name + ": refused at apply, expected " + expect + ": " + refused);
                        continue;
                    }
                    GenericKubernetesResource r = client.getKubernetesSerialization().unmarshal(text.substring(text.indexOf('\n') + 1), GenericKubernetesResource.class);
                    awaiting.put(name, r.getKind() + "/" + r.getMetadata().getName() + "/" + expect);
                }
            }
            assertThat(mismatches).as("manifests the API server accepted although invalid").isEmpty();
            h.apply(Yaml.job("good", "backend: qpu", 100));
            h.awaitJob("good", j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED, Duration.ofSeconds(20));

            // First every one ends (any final phase), then each is compared, so one run lists every mismatch.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> awaiting.values().stream()
                    .allMatch(v -> { var st = status(client, v.split("/")[0], v.split("/")[1]);
                        return st != null && List.of("Completed", "Failed", "Cancelled", "Rejected").contains(st.get("phase")); }));
            for (var e : awaiting.entrySet()) {
                String[] k = e.getValue().split("/");
                var st = status(client, k[0], k[1]);
                if (!k[2].equals(st.get("phase")) || blank(st.get("reason")) || blank(st.get("message"))
                        || st.get("message").toString().chars().anyMatch(c -> c != '\n' && c != '\t' && Character.isISOControl(c)))
                    mismatches.add(e.getKey() + ": " + st.get("phase") + " " + st.get("reason") + " " + st.get("message") + ", expected " + k[2]);
            }
            assertThat(mismatches).as("bad manifests that did not end as expected with a reason and a message").isEmpty();
            for (var e : awaiting.entrySet()) {
                String[] k = e.getValue().split("/");
                outcomes.merge("ended " + k[2] + " (" + status(client, k[0], k[1]).get("reason") + ")", 1, Integer::sum);
            }
            System.out.println("BadInputCorpusTest: " + files.size() + " bad manifests → " + outcomes);
        } finally {
            server.destroy();
        }
    }

    /** The 422's message, or null when the API server accepted the manifest. */
    private static String refusal(KubernetesClient client, String yaml) {
        try {
            createRaw(client, yaml);
        } catch (KubernetesClientException e) {
            assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
            return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        }
        return null;
    }

    private static boolean blank(Object o) {
        return o == null || o.toString().isBlank();
    }

    /** Sent as written, untyped (a typed client would refuse wrong types before the API server sees them). */
    private static void createRaw(KubernetesClient client, String yaml) {
        GenericKubernetesResource r = client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
        var ops = client.genericKubernetesResources(r.getApiVersion(), r.getKind());
        (r.getKind().equals("QuantumBackend") ? ops.resource(r) : ops.inNamespace("default").resource(r)).create();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(KubernetesClient client, String kind, String name) {
        String plural = kind.equals("QuantumJob") ? "quantumjobs" : "quantumsessions";
        var r = client.genericKubernetesResources("quantum.kubeqpu.io/v1alpha1", kind).inNamespace("default").withName(name).get();
        return r == null ? null : (Map<String, Object>) r.getAdditionalProperties().get("status");
    }
}
