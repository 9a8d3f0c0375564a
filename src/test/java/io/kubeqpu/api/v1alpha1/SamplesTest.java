package io.kubeqpu.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The manifests in config/samples/ fit the CRDs and the Java model, and kustomize lists them all. */
class SamplesTest {
    static final Path SAMPLES = Path.of("config", "samples");
    static final ObjectMapper YAML = new YAMLMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    static final Map<String, Class<? extends CustomResource<?, ?>>> BY_KIND = QuantumApi.KINDS.stream()
            .collect(Collectors.toMap(Class::getSimpleName, Function.identity()));

    record Doc(String file, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }

        @Override
        public String toString() {
            return file + ": " + kind() + "/" + name();
        }
    }

    static List<Path> sampleFiles() throws IOException {
        try (Stream<Path> s = Files.list(SAMPLES)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    static List<Doc> docs() throws IOException {
        List<Doc> docs = new ArrayList<>();
        for (Path file : sampleFiles()) {
            try (var parser = new YAMLFactory().createParser(file.toFile())) {
                Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
                while (it.hasNext()) {
                    JsonNode node = it.next();
                    if (node != null && !node.isNull() && !node.isEmpty()) {
                        docs.add(new Doc(file.getFileName().toString(), node));
                    }
                }
            }
        }
        return docs;
    }

    @ParameterizedTest
    @MethodSource("docs")
    void fitsTheCrdSchema(Doc doc) {
        assertThat(doc.node().path("apiVersion").asText()).isEqualTo(QuantumApi.API_VERSION);
        assertThat(BY_KIND).containsKey(doc.kind());
        assertThat(doc.name()).matches(Names.DNS_SUBDOMAIN);
        assertThat(SchemaValidator.validate(doc.node(), Crds.schema(BY_KIND.get(doc.kind())))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("docs")
    void roundTripsThroughTheJavaModelWithoutUnknownFields(Doc doc) throws IOException {
        CustomResource<?, ?> resource = YAML.treeToValue(doc.node(), BY_KIND.get(doc.kind()));
        assertThat(resource.getSpec()).isNotNull();
        JsonNode back = YAML.valueToTree(resource);
        // Java initialisers add the schema defaults; everything written in the sample must survive unchanged.
        assertContains(back, doc.node(), "");
        assertThat(Crds.SERIALIZATION.unmarshal(YAML.writeValueAsString(doc.node()), BY_KIND.get(doc.kind()))
                .getSpec()).usingRecursiveComparison().isEqualTo(resource.getSpec());
    }

    @Test
    void theSchemaCheckCatchesBrokenManifests() throws IOException {
        JsonNode broken = YAML.readTree("""
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumJob
                metadata: {name: broken}
                spec:
                  backend: Not_A_Name
                  shots: 0
                  maxExecutionTime: 3 hours
                  pubs: []
                  colour: blue
                """);
        assertThat(SchemaValidator.validate(broken, Crds.schema(QuantumJob.class))).containsExactlyInAnyOrder(
                ".spec: missing required primitive",
                ".spec.backend: 'Not_A_Name' does not match " + Names.DNS_SUBDOMAIN,
                ".spec.shots: 0.0 below minimum 1.0",
                ".spec.maxExecutionTime: '3 hours' does not match " + GoDurations.PATTERN,
                ".spec.pubs: fewer than 1 items",
                ".spec.colour: unknown field (the API server would prune it)");
    }

    @Test
    void kustomizationListsEverySample() throws IOException {
        JsonNode kustomization = YAML.readTree(SAMPLES.resolve("Kustomization").toFile());
        List<String> listed = new ArrayList<>();
        kustomization.path("resources").forEach(r -> listed.add(r.asText()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(
                sampleFiles().stream().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void theSamplesTellTheStory() throws IOException {
        List<Doc> docs = docs();
        Map<String, Long> perKind = docs.stream().collect(Collectors.groupingBy(Doc::kind, Collectors.counting()));
        assertThat(perKind).containsEntry("QuantumBackend", 1L).containsEntry("QuantumInstance", 2L)
                .containsEntry("QuantumBatch", 1L).containsEntry("QuantumSession", 2L).containsEntry("QuantumJob", 4L);

        QuantumBatch batch = load(docs, QuantumBatch.class, "rx-sweep");
        assertThat(batch.getSpec().getJobs()).hasSize(10);
        assertThat(batch.getSpec().getJobs().stream().map(QuantumJobTemplate::getName).distinct()).hasSize(10);

        List<QuantumJob> sessionJobs = docs.stream().filter(d -> d.kind().equals("QuantumJob"))
                .map(d -> YAML.convertValue(d.node(), QuantumJob.class))
                .filter(j -> j.getSpec().getSessionRef() != null).toList();
        assertThat(sessionJobs).hasSize(3).allSatisfy(j -> {
            assertThat(j.getSpec().getSessionRef().getName()).isEqualTo("vqe");
            assertThat(j.getSpec().getPrimitive()).isEqualTo(Primitive.ESTIMATOR);
            assertThat(j.getSpec().getPubs()).allSatisfy(p -> assertThat(p.getObservables()).isNotEmpty());
        });

        QuantumInstance research = load(docs, QuantumInstance.class, "research");
        assertThat(research.getSpec().getPlan()).isEqualTo(Plan.PREMIUM);
        assertThat(research.getSpec().getDefaultInstance()).isTrue();
        QuantumSession rejected = load(docs, QuantumSession.class, "students-session");
        assertThat(load(docs, QuantumInstance.class, rejected.getSpec().getInstance()).getSpec().getPlan())
                .isEqualTo(Plan.OPEN);

        QuantumBackend backend = load(docs, QuantumBackend.class, "sim-eagle");
        assertThat(backend.getSpec().getNumQubits()).isBetween(5, 27);
        assertThat(backend.getSpec().getTiming().getTimeScale()).isLessThanOrEqualTo(0.01);
        QuantumJob bell = load(docs, QuantumJob.class, "bell");
        assertThat(bell.getSpec().getPubs().get(0).getCircuit()).startsWith("OPENQASM 3");
    }

    private static <T extends CustomResource<?, ?>> T load(List<Doc> docs, Class<T> type, String name) {
        Doc doc = docs.stream().filter(d -> d.kind().equals(type.getSimpleName()) && d.name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no sample " + type.getSimpleName() + "/" + name));
        return YAML.convertValue(doc.node(), type);
    }

    private static void assertContains(JsonNode actual, JsonNode expected, String path) {
        if (expected.isObject()) {
            expected.fields().forEachRemaining(f -> assertContains(actual.path(f.getKey()), f.getValue(), path + "." + f.getKey()));
        } else if (expected.isArray()) {
            assertThat(actual.size()).as(path).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertContains(actual.get(i), expected.get(i), path + "[" + i + "]");
            }
        } else if (expected.isNumber()) {
            assertThat(actual.isNumber()).as(path).isTrue();
            assertThat(actual.decimalValue()).as(path).isEqualByComparingTo(expected.decimalValue());
        } else {
            assertThat(actual).as(path).isEqualTo(expected);
        }
    }
}
