package io.kubeqpu.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What kubectl, Argo CD and Flux see of each CRD: names, scope, columns, status, descriptions, defaults, CEL. */
class CrdSchemaTest {
    /** Subtrees typed by Fabric8's own model classes, which carry no descriptions. */
    private static final Set<String> FOREIGN = Set.of(".status.conditions", ".spec.simulator.resources",
            ".spec.simulator.tolerations");

    record Expected(Class<? extends CustomResource<?, ?>> kind, String plural, String shortName, String scope,
            List<String> columns) {
    }

    static Stream<Arguments> kinds() {
        return Stream.of(
                new Expected(QuantumBackend.class, "quantumbackends", "qpu", "Cluster",
                        List.of("Qubits", "Parallelism", "Available", "Lease Holder", "Queue", "Age")),
                new Expected(QuantumInstance.class, "quantuminstances", "qinst", "Namespaced",
                        List.of("Plan", "Weight", "Usage", "Limit", "Age")),
                new Expected(QuantumJob.class, "quantumjobs", "qjob", "Namespaced",
                        List.of("Phase", "Backend", "Mode", "Queue", "Usage", "Age")),
                new Expected(QuantumBatch.class, "quantumbatches", "qbatch", "Namespaced",
                        List.of("Phase", "Backend", "Jobs", "Completed", "Failed", "Lease", "Age")),
                new Expected(QuantumSession.class, "quantumsessions", "qsess", "Namespaced",
                        List.of("Phase", "Backend", "Lease Mode", "Jobs", "Max TTL Deadline", "Age")))
                .map(Arguments::of);
    }

    @Test
    void everyKindIsCovered() {
        List<Object> covered = kinds().map(a -> (Object) ((Expected) a.get()[0]).kind()).toList();
        assertThat(covered).containsExactlyElementsOf(new ArrayList<Object>(QuantumApi.KINDS));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void namesScopeCategoryAndStatus(Expected e) {
        CustomResourceDefinition crd = Crds.load(e.kind());
        assertThat(crd.getMetadata().getName()).isEqualTo(e.plural() + "." + QuantumApi.GROUP);
        assertThat(crd.getSpec().getGroup()).isEqualTo(QuantumApi.GROUP);
        assertThat(crd.getSpec().getScope()).isEqualTo(e.scope());
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo(e.kind().getSimpleName());
        assertThat(crd.getSpec().getNames().getPlural()).isEqualTo(e.plural());
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly(e.shortName());
        assertThat(crd.getSpec().getNames().getCategories()).containsExactly(QuantumApi.CATEGORY);

        assertThat(crd.getSpec().getVersions()).hasSize(1);
        CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
        assertThat(version.getName()).isEqualTo(QuantumApi.VERSION);
        assertThat(version.getServed()).isTrue();
        assertThat(version.getStorage()).isTrue();
        assertThat(version.getSubresources().getStatus()).as("status subresource").isNotNull();
        assertThat(version.getSchema().getOpenAPIV3Schema().getProperties()).containsKeys("spec", "status");
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void printerColumnsInOrderAndPointingAtSchemaFields(Expected e) {
        CustomResourceDefinitionVersion version = Crds.load(e.kind()).getSpec().getVersions().get(0);
        List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
        assertThat(columns.stream().filter(c -> c.getPriority() == 0).map(CustomResourceColumnDefinition::getName))
                .containsExactlyElementsOf(e.columns());
        assertThat(columns.get(columns.size() - 1).getJsonPath()).isEqualTo(".metadata.creationTimestamp");

        Map<String, JSONSchemaProps> paths = new LinkedHashMap<>();
        Crds.walk(version.getSchema().getOpenAPIV3Schema(), "", paths::put);
        for (CustomResourceColumnDefinition c : columns) {
            if (!c.getJsonPath().startsWith(".metadata.")) {
                assertThat(paths).as("column %s", c.getName()).containsKey(c.getJsonPath());
                JSONSchemaProps target = paths.get(c.getJsonPath());
                String expectedType = "date".equals(c.getType()) ? "string" : c.getType();
                assertThat(target.getType()).as("type of column %s", c.getName()).isEqualTo(expectedType);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void conditionsFollowTheApiConventions(Expected e) {
        JSONSchemaProps conditions = Crds.schema(e.kind()).getProperties().get("status").getProperties().get("conditions");
        assertThat(conditions.getXKubernetesListType()).isEqualTo("map");
        assertThat(conditions.getXKubernetesListMapKeys()).containsExactly("type");
        JSONSchemaProps item = conditions.getItems().getSchema();
        assertThat(item.getRequired()).containsExactlyInAnyOrder("type", "status", "reason", "message", "lastTransitionTime");
        assertThat(item.getProperties().get("status").getEnum()).extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                .containsExactly("True", "False", "Unknown");
        assertThat(item.getProperties().get("lastTransitionTime").getFormat()).isEqualTo("date-time");
        assertThat(item.getProperties().get("reason").getPattern()).isNotBlank();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void noDateColumnForAFutureTime(Expected e) {
        // kubectl prints a date column as an age: a time in the future shows <invalid>. Only creationTimestamp is a date.
        assertThat(Crds.load(e.kind()).getSpec().getVersions().get(0).getAdditionalPrinterColumns())
                .filteredOn(c -> "date".equals(c.getType()))
                .extracting(CustomResourceColumnDefinition::getJsonPath).containsExactly(".metadata.creationTimestamp");
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void kubectlExplainDescribesTheKindItsSpecAndStatus(Expected e) {
        JSONSchemaProps root = Crds.schema(e.kind());
        assertThat(root.getDescription()).as("kind").isNotBlank();
        assertThat(root.getProperties().get("spec").getDescription()).as("spec").isNotBlank();
        assertThat(root.getProperties().get("status").getDescription()).as("status").isNotBlank();
    }

    @Test
    void boundsAreIntegersNotJavaDoubles() throws Exception {
        // maximum: 1.0E7 is a string to a YAML 1.1 parser (PyYAML); bounds are written as plain numbers.
        for (java.nio.file.Path f : java.nio.file.Files.list(java.nio.file.Path.of("crds")).toList())
            assertThat(java.nio.file.Files.readString(f)).as(f.toString())
                    .doesNotContainPattern("(?m)(minimum|maximum): -?[0-9.]+E")
                    .doesNotContainPattern("(?m)(minimum|maximum): -?[0-9]+\\.0$");
        assertThat(CrdGeneration.integralBounds("  maximum: 1.0E7\n  minimum: 0.5\n  minimum: 1.0\n"))
                .isEqualTo("  maximum: 10000000\n  minimum: 0.5\n  minimum: 1\n");
        // A finite-double bound keeps its exponent, with the sign YAML 1.1 needs to read it as a number.
        assertThat(CrdGeneration.integralBounds("  maximum: 1.7976931348623157E308\n  minimum: -1.7976931348623157E308\n"))
                .isEqualTo("  maximum: 1.7976931348623157e+308\n  minimum: -1.7976931348623157e+308\n");
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void everyFieldHasADescriptionForKubectlExplain(Expected e) {
        List<String> missing = new ArrayList<>();
        Crds.walk(Crds.schema(e.kind()), "", (path, node) -> {
            boolean property = path.startsWith(".spec.") || path.startsWith(".status.");
            boolean foreign = FOREIGN.stream().anyMatch(f -> path.startsWith(f) && !path.equals(f));
            boolean element = path.endsWith("[]") || path.endsWith("{}");
            if (property && !foreign && !element && (node.getDescription() == null || node.getDescription().isBlank())) {
                missing.add(path);
            }
        });
        assertThat(missing).as("fields without @JsonPropertyDescription").isEmpty();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void everyValidationRuleHasARuleAndAMessage(Expected e) {
        List<ValidationRule> rules = new ArrayList<>();
        Crds.walk(Crds.schema(e.kind()), "", (path, node) -> {
            if (node.getXKubernetesValidations() != null) {
                rules.addAll(node.getXKubernetesValidations());
            }
        });
        assertThat(rules).isNotEmpty();
        assertThat(rules).allSatisfy(r -> {
            assertThat(r.getRule()).isNotBlank();
            assertThat(r.getMessage()).as("message of %s", r.getRule()).isNotBlank();
            assertThat(r.getRule()).doesNotContain("\"");
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void schemaDefaultsEqualTheJavaInitialValues(Expected e) throws Exception {
        // The Fabric8 mock server applies no CRD defaults; Java initialisers must agree with the schema.
        Class<?> specType = (Class<?>) ((java.lang.reflect.ParameterizedType) e.kind().getGenericSuperclass())
                .getActualTypeArguments()[0];
        JsonNode fresh = new ObjectMapper().valueToTree(specType.getDeclaredConstructor().newInstance());
        JSONSchemaProps spec = Crds.schema(e.kind()).getProperties().get("spec");
        Map<String, JsonNode> defaults = new LinkedHashMap<>();
        Crds.walk(spec, "", (path, node) -> {
            if (node.getDefault() != null && !path.contains("[]")) {
                defaults.put(path, node.getDefault());
            }
        });
        for (Map.Entry<String, JsonNode> d : defaults.entrySet()) {
            JsonNode actual = fresh.at(d.getKey().replace('.', '/'));
            assertThat(sameValue(actual, d.getValue()))
                    .as("default of .spec%s: schema %s, Java %s", d.getKey(), d.getValue(), actual).isTrue();
        }
    }

    @Test
    void documentedDefaultsAreInTheSchema() {
        JSONSchemaProps backend = Crds.schema(QuantumBackend.class).getProperties().get("spec");
        assertThat(backend.getProperties().get("parallelism").getDefault().asInt()).isEqualTo(1);
        assertThat(backend.getProperties().get("preprocessingLanes").getDefault().asInt()).isEqualTo(5);
        assertThat(backend.getProperties().get("requireIsa").getDefault().asBoolean()).isFalse();
        JSONSchemaProps limits = backend.getProperties().get("limits");
        assertThat(limits.getProperties().get("maxShots").getDefault().asInt()).isEqualTo(100000);
        assertThat(limits.getProperties().get("maxCircuitBytes").getDefault().asInt()).isEqualTo(262144);
        assertThat(limits.getProperties().get("maxTTL").getDefault().asText()).isEqualTo("8h");
        assertThat(limits.getProperties().get("maxExecutionTime").getDefault().asText()).isEqualTo("3h");
        JSONSchemaProps timing = backend.getProperties().get("timing");
        assertThat(timing.getProperties().get("overhead").getDefault().asText()).isEqualTo("1s");
        assertThat(timing.getProperties().get("repDelay").getDefault().asText()).isEqualTo("250us");
        assertThat(timing.getProperties().get("timeScale").getDefault().asDouble()).isEqualTo(1.0);
        JSONSchemaProps calibration = backend.getProperties().get("calibration");
        assertThat(calibration.getProperties().get("interval").getDefault().asText()).isEqualTo("1h");
        assertThat(calibration.getProperties().get("duration").getDefault().asText()).isEqualTo("2m");
        assertThat(backend.getRequired()).containsExactly("numQubits");

        JSONSchemaProps instance = Crds.schema(QuantumInstance.class).getProperties().get("spec");
        assertThat(instance.getProperties().get("usagePeriod").getDefault().asText()).isEqualTo("720h");
        assertThat(instance.getProperties().get("weight").getDefault().asDouble()).isEqualTo(1.0);
        assertThat(instance.getProperties().get("default").getDefault().asBoolean()).isFalse();
        assertThat(instance.getProperties().get("plan").getEnum()).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("open", "payg", "premium");
        assertThat(instance.getRequired()).containsExactly("plan");

        for (Class<? extends CustomResource<?, ?>> workload : List.of(QuantumBatch.class, QuantumSession.class)) {
            JSONSchemaProps spec = Crds.schema(workload).getProperties().get("spec");
            assertThat(spec.getProperties().get("maxTTL").getDefault().asText()).isEqualTo("8h");
            assertThat(spec.getProperties().get("interactiveTTL").getDefault().asText()).isEqualTo("60s");
            assertThat(spec.getProperties().get("acceptingJobs").getDefault().asBoolean()).isTrue();
            assertThat(spec.getRequired()).containsExactly("backend");
        }
    }

    @Test
    void jobSchemaCarriesItsConstraints() {
        JSONSchemaProps spec = Crds.schema(QuantumJob.class).getProperties().get("spec");
        assertThat(spec.getRequired()).containsExactlyInAnyOrder("primitive", "pubs");
        JSONSchemaProps pubs = spec.getProperties().get("pubs");
        assertThat(pubs.getMinItems()).isEqualTo(1L);
        assertThat(pubs.getMaxItems()).isEqualTo(1000L);
        JSONSchemaProps pub = pubs.getItems().getSchema();
        assertThat(pub.getRequired()).containsExactly("circuit");
        assertThat(pub.getProperties().get("circuit").getMaxLength()).isEqualTo(262144L);
        assertThat(pub.getProperties().get("shots").getMaximum()).isEqualTo(10_000_000.0);
        assertThat(spec.getXKubernetesValidations()).extracting(ValidationRule::getMessage).contains(
                "set at most one of sessionRef and batchRef", "set backend, sessionRef or batchRef",
                "backend is immutable", "instance is immutable", "sessionRef is immutable", "batchRef is immutable",
                "primitive is immutable", "pubs is immutable", "every estimator PUB needs observables");
        assertThat(spec.getProperties().get("maxExecutionTime").getXKubernetesValidations())
                .extracting(ValidationRule::getRule).containsExactlyInAnyOrder(GoDurations.BOUNDED_RULE,
                        GoDurations.IF_BOUNDED + "duration(self) > duration('0s') && duration(self) <= duration('3h')");
    }

    @Test
    void durationFieldsShareOnePatternThatCelCanParse() {
        List<String> durationPaths = new ArrayList<>();
        for (Class<? extends CustomResource<?, ?>> kind : QuantumApi.KINDS) {
            Crds.walk(Crds.schema(kind), "", (path, node) -> {
                if (GoDurations.PATTERN.equals(node.getPattern())) {
                    durationPaths.add(kind.getSimpleName() + path);
                    assertThat(node.getMaxLength()).as(path).isNotNull();
                    if (node.getDefault() != null) {
                        assertThat(GoDurations.isValid(node.getDefault().asText())).as(path).isTrue();
                    }
                }
            });
        }
        assertThat(durationPaths).contains("QuantumJob.spec.maxExecutionTime", "QuantumSession.spec.maxTTL",
                "QuantumBatch.spec.interactiveTTL", "QuantumBackend.spec.timing.repDelay",
                "QuantumInstance.spec.usagePeriod");
    }

    private static boolean sameValue(JsonNode actual, JsonNode expected) {
        if (actual.isNumber() && expected.isNumber()) {
            return actual.decimalValue().compareTo(expected.decimalValue()) == 0;
        }
        if (actual.isObject() && expected.isObject()) {
            var names = expected.fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                if (!sameValue(actual.path(n), expected.get(n))) {
                    return false;
                }
            }
            return true;
        }
        return actual.equals(expected);
    }
}
