package io.kubeqpu.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubeqpu.api.v1alpha1.SchemaPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The generated part of the hostile-input corpus (issue 15), in families derived from the CRD schemas in {@code crds/}
 * so that a new field is attacked without anyone remembering to. Each case is one object a tenant sends (or one edit
 * of an object it already has) with the outcome the system owes it: refused at apply (422) with a message naming the
 * field. The hand-written cases stay files in {@code src/test/resources/bad-input/}.
 */
final class HostileCases {
    static final KubernetesSerialization JSON = new KubernetesSerialization();
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    /**
     * @param name     unique, also the object's name
     * @param category the docs/reliability.md category
     * @param object   the object created (for an edit: the valid object created first)
     * @param edit     null, or a change applied to the stored object after the operator has seen it
     * @param status   the edit goes through the status subresource (a tenant forging status)
     * @param mention  what the 422 message must name (the field; a non-finite number is named by the embedded API
     *                 server only)
     */
    record Case(String name, String category, ObjectNode object, Consumer<ObjectNode> edit, boolean status, String mention) {
        String kind() {
            return object.path("kind").asText();
        }
    }

    private HostileCases() {
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        numericOutOfRange(cases);
        poisonValues(cases);
        wrongTypes(cases);
        sizeBombs(cases);
        statusForgery(cases);
        immutableEdits(cases);
        badNames(cases);
        return cases;
    }

    // ------------------------------------------------------------------ valid objects every case starts from

    static ObjectNode base(String kind, String name) {
        String yaml = switch (kind) {
            case "QuantumJob" -> Yaml.job(name, "backend: qpu", 100);
            case "QuantumBatch" -> Yaml.batch(name, "qpu", "research", 1, 100);
            case "QuantumSession" -> Yaml.session(name, "qpu", "research", "1h", "1m");
            case "QuantumBackend" -> Yaml.backend(name, 1, 0.001);
            case "QuantumInstance" -> Yaml.instance(name, "open", false);
            default -> throw new IllegalArgumentException(kind);
        };
        return (ObjectNode) JSON.unmarshal(yaml, JsonNode.class);
    }

    // ------------------------------------------------------------------ families

    /** Schema: every numeric spec field one step below its minimum and above its maximum. */
    private static void numericOutOfRange(List<Case> cases) {
        for (Field f : fields(s -> isNumeric(s), true)) {
            boolean integer = "integer".equals(f.schema.getType());
            double min = f.schema.getMinimum(), max = f.schema.getMaximum();
            if ("int64".equals(f.schema.getFormat())) {
                // Past the int64 range itself: the API server compares in float64, where max+1 rounds to the
                // bound (and still fits a long); 2^63 is the first value the model cannot hold.
                BigInteger lowest = min < -9e18 ? BigInteger.TWO.pow(63).negate().subtract(BigInteger.ONE) : exact(min).toBigInteger().subtract(BigInteger.ONE);
                cases.add(at(f, "below-min", "schema", F.numberNode(lowest)));
                cases.add(at(f, "above-max", "schema", F.numberNode(BigInteger.TWO.pow(63))));
                continue;
            }
            JsonNode below = integer ? F.numberNode(exact(min).toBigInteger().subtract(BigInteger.ONE))
                    : F.numberNode(exact(min).subtract(BigDecimal.ONE));
            JsonNode above = integer ? F.numberNode(exact(max).toBigInteger().add(BigInteger.ONE))
                    : F.numberNode(exact(max).add(BigDecimal.ONE));
            cases.add(at(f, "below-min", "schema", below));
            cases.add(at(f, "above-max", "schema", above));
        }
    }

    /** Poison values: the numbers that stopped informers (2^63, 2^64, 2^70, 1e20) in every integer spec field. */
    private static void poisonValues(List<Case> cases) {
        for (Field f : fields(s -> "integer".equals(s.getType()), true)) {
            cases.add(at(f, "2pow63", "poison values", F.numberNode(BigInteger.TWO.pow(63))));
            cases.add(at(f, "2pow64", "poison values", F.numberNode(BigInteger.TWO.pow(64))));
            cases.add(at(f, "2pow70", "poison values", F.numberNode(BigInteger.TWO.pow(70))));
            cases.add(at(f, "1e20", "poison values", F.numberNode(new BigDecimal("1e20"))));
            cases.add(at(f, "neg2pow63minus1", "poison values", F.numberNode(BigInteger.TWO.pow(63).negate().subtract(BigInteger.ONE))));
        }
        // Past float64 (Infinity to a Java parser): kube-apiserver's JSON decoder refuses it (400), the embedded one 422.
        for (Field f : fields(s -> "number".equals(s.getType()), true))
            cases.add(at(f, "1e309", "poison values", F.numberNode(new BigDecimal("1e309"))));
    }

    /** Schema: a fraction where an integer belongs, a string where a number belongs. */
    private static void wrongTypes(List<Case> cases) {
        for (Field f : fields(s -> isNumeric(s), true)) {
            if ("integer".equals(f.schema.getType())) cases.add(at(f, "fraction", "schema", F.numberNode(new BigDecimal("1.5"))));
            cases.add(at(f, "string", "schema", F.textNode("7")));
        }
    }

    /** Size bombs: every bounded string one character past maxLength, every bounded list one item past maxItems. */
    private static void sizeBombs(List<Case> cases) {
        for (Field f : fields(s -> "string".equals(s.getType()) && s.getMaxLength() != null && s.getMaxLength() <= 300_000, true))
            cases.add(at(f, "overlong", "size bombs", F.textNode("a".repeat(f.schema.getMaxLength().intValue() + 1))));
        for (Field f : fields(s -> "array".equals(s.getType()) && s.getMaxItems() != null, true)) {
            ArrayNode list = F.arrayNode();
            JsonNode item = itemFor(f);
            for (long i = 0; i <= f.schema.getMaxItems(); i++) list.add(item.deepCopy());
            cases.add(at(f, "too-many", "size bombs", list));
        }
    }

    /** Status writes: a tenant forging a status number the model cannot hold (2^70), through the status subresource. */
    private static void statusForgery(List<Case> cases) {
        for (Field f : fields(s -> "integer".equals(s.getType()), false)) {
            if (!f.path.startsWith("status.")) continue;
            String name = caseName(f, "status-2pow70");
            ObjectNode object = base(f.kind, name);
            String path = f.path;
            cases.add(new Case(name, "status writes", object, o -> SchemaPath.set(o, path, F.numberNode(BigInteger.TWO.pow(70))), true, mention(path)));
        }
    }

    /** Lifecycle edits: fields the operator cannot honour once a job is submitted change under it. */
    private static void immutableEdits(List<Case> cases) {
        Map<String, Consumer<ObjectNode>> edits = new TreeMap<>();
        edits.put("shots", o -> ((ObjectNode) o.get("spec")).put("shots", 200));
        edits.put("seed", o -> ((ObjectNode) o.get("spec")).put("seed", 8));
        edits.put("precision", o -> ((ObjectNode) o.get("spec")).put("precision", 0.01));
        edits.put("maxExecutionTime", o -> ((ObjectNode) o.get("spec")).put("maxExecutionTime", "5m"));
        edits.put("backend", o -> ((ObjectNode) o.get("spec")).put("backend", "other-qpu"));
        edits.put("instance", o -> ((ObjectNode) o.get("spec")).put("instance", "research"));
        edits.put("primitive", o -> ((ObjectNode) o.get("spec")).put("primitive", "estimator"));
        edits.put("pubs", o -> ((ObjectNode) o.get("spec")).putArray("pubs").addObject().put("circuit", "OPENQASM 3.0;"));
        edits.put("sessionRef", o -> ((ObjectNode) o.get("spec")).putObject("sessionRef").put("name", "s"));
        edits.put("batchRef", o -> ((ObjectNode) o.get("spec")).putObject("batchRef").put("name", "b"));
        edits.forEach((field, edit) -> {
            String name = "edit-job-" + field.toLowerCase();
            cases.add(new Case(name, "lifecycle edits", base("QuantumJob", name), edit, false, field));
        });
        // A session's backend: the lease it holds is on the old one.
        cases.add(new Case("edit-session-backend", "lifecycle edits", base("QuantumSession", "edit-session-backend"),
                o -> ((ObjectNode) o.get("spec")).put("backend", "other-qpu"), false, "backend"));
        cases.add(new Case("edit-batch-backend", "lifecycle edits", base("QuantumBatch", "edit-batch-backend"),
                o -> ((ObjectNode) o.get("spec")).put("backend", "other-qpu"), false, "backend"));
    }

    /** Schema: metadata.name that kube-apiserver refuses for every kind (not DNS-1123, longer than 253). */
    private static void badNames(List<Case> cases) {
        for (String kind : List.of("QuantumJob", "QuantumBatch", "QuantumSession", "QuantumBackend", "QuantumInstance")) {
            String k = kind.substring("Quantum".length()).toLowerCase();
            ObjectNode upper = base(kind, "name-" + k);
            ((ObjectNode) upper.get("metadata")).put("name", "Bad_Name_" + k);
            cases.add(new Case("name-not-dns-" + k, "schema", upper, null, false, "metadata.name"));
            ObjectNode longName = base(kind, "name-" + k);
            ((ObjectNode) longName.get("metadata")).put("name", "n" + "a".repeat(253));
            cases.add(new Case("name-254-chars-" + k, "size bombs", longName, null, false, "metadata.name"));
        }
    }

    // ------------------------------------------------------------------ fields from the schemas

    record Field(String kind, String path, JSONSchemaProps schema) {
    }

    static List<Field> fields(java.util.function.Predicate<JSONSchemaProps> which, boolean specOnly) {
        List<Field> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("crds"))) {
            for (Path p : files.sorted().toList()) {
                CustomResourceDefinition crd = JSON.unmarshal(Files.readString(p), CustomResourceDefinition.class);
                String kind = crd.getSpec().getNames().getKind();
                walk(kind, crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema(), "", which, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Fields of the embedded Kubernetes types (tolerations, resources) and the conditions list are Kubernetes' own.
        out.removeIf(f -> specOnly && !f.path.startsWith("spec.") || f.path.contains("conditions"));
        return out;
    }

    private static void walk(String kind, JSONSchemaProps s, String path, java.util.function.Predicate<JSONSchemaProps> which, List<Field> out) {
        if (s == null) return;
        if (!path.isEmpty() && which.test(s)) out.add(new Field(kind, path, s));
        if (s.getProperties() != null) s.getProperties().forEach((k, v) -> walk(kind, v, path.isEmpty() ? k : path + "." + k, which, out));
        if (s.getItems() != null) walk(kind, s.getItems().getSchema(), path + "[]", which, out);
        if (s.getAdditionalProperties() != null) walk(kind, s.getAdditionalProperties().getSchema(), path + "{}", which, out);
    }

    private static boolean isNumeric(JSONSchemaProps s) {
        return "integer".equals(s.getType()) || "number".equals(s.getType());
    }

    private static Case at(Field f, String what, String category, JsonNode value) {
        String name = caseName(f, what);
        ObjectNode o = base(f.kind, name);
        SchemaPath.set(o, f.path, value);
        return new Case(name, category, o, null, false, mention(f.path));
    }

    /** qjob-spec-pubs-shots-above-max: a DNS name (≤ 63 characters so that it is also a valid label value). */
    static String caseName(Field f, String what) {
        String k = switch (f.kind) {
            case "QuantumJob" -> "qjob";
            case "QuantumBatch" -> "qbatch";
            case "QuantumSession" -> "qsess";
            case "QuantumBackend" -> "qpu";
            default -> "qinst";
        };
        String n = (k + "-" + f.path.replace("[]", "").replace("{}", "") + "-" + what).toLowerCase().replaceAll("[^a-z0-9]+", "-");
        if (n.length() > 63) n = n.substring(0, 54) + "-" + Integer.toHexString(n.hashCode() & 0xfffffff);
        return n;
    }

    /**
     * The field path as the API server names it: spec.pubs[0].shots. For a map value, the map's path
     * (spec.pubs[0].observables[0]): kube-apiserver names the key .k, the embedded API server [k].
     */
    static String mention(String path) {
        int map = path.indexOf("{}");
        return (map < 0 ? path : path.substring(0, map)).replace("[]", "[0]");
    }

    private static JsonNode itemFor(Field f) {
        JSONSchemaProps items = f.schema.getItems().getSchema();
        if ("string".equals(items.getType())) return F.textNode("x");
        if ("array".equals(items.getType())) return F.arrayNode().add(0).add(1);
        ObjectNode o = F.objectNode();
        if (items.getProperties() != null && items.getProperties().containsKey("circuit")) o.put("circuit", "OPENQASM 3.0;");
        if (items.getProperties() != null && items.getProperties().containsKey("name")) o.put("name", "j");
        return o;
    }

    private static BigDecimal exact(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e19 ? new BigDecimal(d) : new BigDecimal(Double.toString(d));
    }

}
