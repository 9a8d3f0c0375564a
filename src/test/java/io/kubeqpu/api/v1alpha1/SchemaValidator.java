package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A small structural-schema check of a manifest against a CRD's openAPIV3Schema, the way the API server
 * would before CEL: types, required, enum, bounds, lengths, patterns, item counts and unknown fields
 * (which the API server would silently prune). {@code metadata} and CEL rules are not checked.
 */
final class SchemaValidator {
    /** Root fields every object has; the API server validates them itself. */
    private static final java.util.Set<String> ROOT_FIELDS = java.util.Set.of("apiVersion", "kind", "metadata");

    private SchemaValidator() {
    }

    static List<String> validate(JsonNode value, JSONSchemaProps schema) {
        List<String> errors = new ArrayList<>();
        check(value, schema, "", errors);
        return errors;
    }

    private static void check(JsonNode v, JSONSchemaProps s, String path, List<String> errors) {
        String type = s.getType();
        if (type != null && !hasType(v, type)) {
            errors.add(path + ": expected " + type + ", got " + v.getNodeType());
            return;
        }
        if (s.getEnum() != null && !s.getEnum().isEmpty() && s.getEnum().stream().noneMatch(e -> e.asText().equals(v.asText()))) {
            errors.add(path + ": " + v + " not in " + s.getEnum());
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            if (s.getMinimum() != null && (d < s.getMinimum() || Boolean.TRUE.equals(s.getExclusiveMinimum()) && d == s.getMinimum())) {
                errors.add(path + ": " + d + " below minimum " + s.getMinimum());
            }
            if (s.getMaximum() != null && (d > s.getMaximum() || Boolean.TRUE.equals(s.getExclusiveMaximum()) && d == s.getMaximum())) {
                errors.add(path + ": " + d + " above maximum " + s.getMaximum());
            }
        }
        if (v.isTextual()) {
            String t = v.asText();
            if (s.getMaxLength() != null && t.length() > s.getMaxLength()) {
                errors.add(path + ": longer than " + s.getMaxLength());
            }
            if (s.getMinLength() != null && t.length() < s.getMinLength()) {
                errors.add(path + ": shorter than " + s.getMinLength());
            }
            if (s.getPattern() != null && !java.util.regex.Pattern.compile(s.getPattern()).matcher(t).find()) {
                errors.add(path + ": '" + t + "' does not match " + s.getPattern());
            }
        }
        if (v.isArray()) {
            if (s.getMinItems() != null && v.size() < s.getMinItems()) {
                errors.add(path + ": fewer than " + s.getMinItems() + " items");
            }
            if (s.getMaxItems() != null && v.size() > s.getMaxItems()) {
                errors.add(path + ": more than " + s.getMaxItems() + " items");
            }
            if (s.getItems() != null && s.getItems().getSchema() != null) {
                for (int i = 0; i < v.size(); i++) {
                    check(v.get(i), s.getItems().getSchema(), path + "[" + i + "]", errors);
                }
            }
        }
        if (v.isObject()) {
            if (s.getRequired() != null) {
                for (String r : s.getRequired()) {
                    if (!v.has(r)) {
                        errors.add(path + ": missing required " + r);
                    }
                }
            }
            Map<String, JSONSchemaProps> props = s.getProperties();
            JSONSchemaProps additional = s.getAdditionalProperties() == null ? null : s.getAdditionalProperties().getSchema();
            boolean preserve = Boolean.TRUE.equals(s.getXKubernetesPreserveUnknownFields());
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                String child = path + "." + f.getKey();
                if (props != null && props.containsKey(f.getKey())) {
                    check(f.getValue(), props.get(f.getKey()), child, errors);
                } else if (additional != null) {
                    check(f.getValue(), additional, child, errors);
                } else if (!preserve && !(path.isEmpty() && ROOT_FIELDS.contains(f.getKey()))) {
                    errors.add(child + ": unknown field (the API server would prune it)");
                }
            }
        }
    }

    private static boolean hasType(JsonNode v, String type) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            default -> true;
        };
    }
}
