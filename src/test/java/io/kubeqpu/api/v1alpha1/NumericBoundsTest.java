package io.kubeqpu.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: every integer and number of every CRD schema is bounded, and the operator's model reads an object holding
 * the bound itself (minimum and maximum, the exact value the API server compares against) without losing it; one
 * past an integer bound is what the model cannot hold (it is recorded as {@link Unreadable}), so the bounds are tight.
 */
class NumericBoundsTest {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** One numeric field of one CRD: its path (a.b[].c{}) and schema. */
    record Field(String kind, String path, JSONSchemaProps schema) {
        @Override
        public String toString() {
            return kind + " " + path;
        }
    }

    /** Every numeric field of every checked-in CRD (crds/, which CrdsUpToDateTest keeps equal to the model). */
    static List<Field> numericFields() {
        List<Field> fields = new ArrayList<>();
        Iterable<String> texts;
        try {
            texts = CrdGeneration.read(CrdGeneration.CRDS_DIR).values();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (String text : texts) {
            CustomResourceDefinition crd = SERIALIZATION.unmarshal(text, CustomResourceDefinition.class);
            String kind = crd.getSpec().getNames().getKind();
            walk(kind, crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema(), "", fields);
        }
        return fields;
    }

    private static void walk(String kind, JSONSchemaProps s, String path, List<Field> out) {
        if (s == null) return;
        if ("integer".equals(s.getType()) || "number".equals(s.getType())) out.add(new Field(kind, path, s));
        if (s.getProperties() != null) s.getProperties().forEach((k, v) -> walk(kind, v, path.isEmpty() ? k : path + "." + k, out));
        if (s.getItems() != null) walk(kind, s.getItems().getSchema(), path + "[]", out);
        if (s.getAdditionalProperties() != null) walk(kind, s.getAdditionalProperties().getSchema(), path + "{}", out);
    }

    /** The smallest value the schema admits, as JSON text. */
    static BigDecimal min(Field f) {
        double m = f.schema().getMinimum();
        if (Boolean.TRUE.equals(f.schema().getExclusiveMinimum())) m = "integer".equals(f.schema().getType()) ? m + 1 : Math.nextUp(m);
        return exact(m);
    }

    static BigDecimal max(Field f) {
        double m = f.schema().getMaximum();
        if (Boolean.TRUE.equals(f.schema().getExclusiveMaximum())) m = "integer".equals(f.schema().getType()) ? m - 1 : Math.nextDown(m);
        return exact(m);
    }

    private static BigDecimal exact(double d) {
        // Integral bounds are compared digit for digit (the double's exact value, as crds/ writes them); others as Java prints them.
        return d == Math.rint(d) && Math.abs(d) < 1e19 ? new BigDecimal(d) : new BigDecimal(Double.toString(d));
    }

    /** A minimal object of the kind with {@code value} at the field's path (one list element, one map key on the way). */
    static ObjectNode objectWith(Field f, JsonNode value, String uid) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("apiVersion", QuantumApi.GROUP + "/" + QuantumApi.VERSION).put("kind", f.kind());
        root.putObject("metadata").put("name", "bounds").put("namespace", "default").put("uid", uid).put("resourceVersion", "1");
        SchemaPath.set(root, f.path(), value);
        return root;
    }

    static JsonNode get(JsonNode root, String path) {
        JsonNode node = root;
        for (String step : SchemaPath.steps(path)) {
            if (node == null) return null;
            node = "[]".equals(step) ? node.get(0) : "{}".equals(step) ? node.get("k") : node.get(step);
        }
        return node;
    }

    static Class<?> type(String kind) {
        return QuantumApi.KINDS.stream().filter(k -> k.getSimpleName().equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void everyNumericFieldIsBoundedAndTheModelReadsItsMinimumAndMaximum() {
        List<Field> fields = numericFields();
        assertThat(fields).hasSizeGreaterThan(50);
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Field f : fields) {
            String fmt = f.schema().getFormat();
            if (f.schema().getMinimum() == null || f.schema().getMaximum() == null || fmt == null) {
                problems.add(f + ": unbounded (format " + fmt + ", minimum " + f.schema().getMinimum() + ", maximum " + f.schema().getMaximum() + ")");
                continue;
            }
            for (BigDecimal v : List.of(min(f), max(f))) {
                String uid = "u" + (checked++);
                ObjectNode json = objectWith(f, JsonNodeFactory.instance.numberNode(v), uid);
                Object typed = SERIALIZATION.unmarshal(json.toString(), type(f.kind()));
                String unreadable = Unreadable.of((io.fabric8.kubernetes.api.model.HasMetadata) typed);
                JsonNode back = get(SERIALIZATION.convertValue(typed, JsonNode.class), f.path());
                if (unreadable != null) problems.add(f + " = " + v.toPlainString() + ": " + unreadable);
                else if (back == null || back.decimalValue().compareTo(v) != 0)
                    problems.add(f + " = " + v.toPlainString() + ": read back as " + back);
            }
            if ("integer".equals(f.schema().getType())) {
                // One past the bound would not fit the Java field: the schema's bound is the model's, not looser.
                BigDecimal past = "int32".equals(fmt) ? BigDecimal.valueOf(Integer.MAX_VALUE).add(BigDecimal.ONE)
                        : BigDecimal.valueOf(Long.MAX_VALUE).add(BigDecimal.ONE);
                if (past.compareTo(max(f)) <= 0) problems.add(f + ": maximum " + max(f) + " admits " + past);
                ObjectNode json = objectWith(f, JsonNodeFactory.instance.numberNode(past), "past" + (checked++));
                Object typed = SERIALIZATION.unmarshal(json.toString(), type(f.kind()));
                if (Unreadable.of((io.fabric8.kubernetes.api.model.HasMetadata) typed) == null)
                    problems.add(f + " = " + past + " (past the Java range) was read without being reported");
            }
        }
        assertThat(problems).isEmpty();
        System.out.println("NumericBoundsTest: " + fields.size() + " numeric fields, " + checked + " objects at a bound read back exactly");
    }
}
