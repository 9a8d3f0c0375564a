package io.kubeqpu.local.apiserver.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI v3 part of custom resource validation: type, required, enum, minimum/maximum (exclusive too),
 * minLength/maxLength, pattern, minItems/maxItems, minProperties/maxProperties, nullable and
 * {@code x-kubernetes-int-or-string}. Messages follow kube-apiserver's wording. Patterns are RE2 (re2j), as in Go.
 */
final class SchemaChecker {
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private SchemaChecker() {
    }

    /** Checks {@code node} at {@code path}; at the object root, apiVersion/kind/metadata are left to the server. */
    static void check(JsonNode node, JSONSchemaProps schema, String path, boolean root, List<FieldError> errors) {
        if (schema == null) {
            return;
        }
        if (node.isNull()) {
            if (!Boolean.TRUE.equals(schema.getNullable()) && schema.getType() != null) {
                errors.add(FieldError.typeInvalid(FieldPath.display(path), "\"null\"",
                        FieldPath.display(path) + " in body must be of type " + schema.getType() + ": \"null\""));
            }
            return;
        }
        if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            // 1e309 parses to Infinity here; kube-apiserver's JSON decoder refuses it. It must not reach the bounds
            // check (BigDecimal has no Infinity: the request hung with an unhandled exception, issue 15).
            errors.add(FieldError.invalid(FieldPath.display(path), node.toString(), FieldPath.display(path)
                    + " in body must be a finite number (at most 1.7976931348623157E308 in magnitude)"));
            return;
        }
        if (!hasType(node, schema)) {
            errors.add(FieldError.typeInvalid(FieldPath.display(path), "\"" + jsonType(node) + "\"",
                    FieldPath.display(path) + " in body must be of type " + schema.getType() + ": \"" + jsonType(node) + "\""));
            return;
        }
        checkEnum(node, schema, path, errors);
        if (node.isNumber()) {
            checkBounds(node, schema, path, errors);
        } else if (node.isTextual()) {
            checkString(node.asText(), schema, path, errors);
        } else if (node.isArray()) {
            checkArray(node, schema, path, errors);
        } else if (node.isObject()) {
            checkObject(node, schema, path, root, errors);
        }
    }

    private static void checkEnum(JsonNode node, JSONSchemaProps schema, String path, List<FieldError> errors) {
        if (schema.getEnum() == null || schema.getEnum().isEmpty()) {
            return;
        }
        if (schema.getEnum().stream().noneMatch(e -> e.equals(node))) {
            errors.add(FieldError.notSupported(path, render(node), schema.getEnum().stream().map(JsonNode::toString).toList()));
        }
    }

    private static void checkBounds(JsonNode node, JSONSchemaProps schema, String path, List<FieldError> errors) {
        BigDecimal v = node.decimalValue();
        if (schema.getMinimum() != null) {
            int c = v.compareTo(BigDecimal.valueOf(schema.getMinimum()));
            boolean exclusive = Boolean.TRUE.equals(schema.getExclusiveMinimum());
            if (c < 0 || exclusive && c == 0) {
                errors.add(FieldError.invalid(path, node.toString(), path + " in body should be greater than "
                        + (exclusive ? "" : "or equal to ") + number(schema.getMinimum())));
            }
        }
        if (schema.getMaximum() != null) {
            int c = v.compareTo(BigDecimal.valueOf(schema.getMaximum()));
            boolean exclusive = Boolean.TRUE.equals(schema.getExclusiveMaximum());
            if (c > 0 || exclusive && c == 0) {
                errors.add(FieldError.invalid(path, node.toString(), path + " in body should be less than "
                        + (exclusive ? "" : "or equal to ") + number(schema.getMaximum())));
            }
        }
    }

    private static void checkString(String s, JSONSchemaProps schema, String path, List<FieldError> errors) {
        long length = s.codePointCount(0, s.length());
        if (schema.getMaxLength() != null && length > schema.getMaxLength()) {
            errors.add(FieldError.tooLong(path, schema.getMaxLength()));
        }
        if (schema.getMinLength() != null && length < schema.getMinLength()) {
            errors.add(FieldError.invalid(path, quote(s),
                    path + " in body should be at least " + schema.getMinLength() + " chars long"));
        }
        if (schema.getPattern() != null
                && !PATTERNS.computeIfAbsent(schema.getPattern(), Pattern::compile).matcher(s).find()) {
            errors.add(FieldError.invalid(path, quote(s), path + " in body should match '" + schema.getPattern() + "'"));
        }
    }

    private static void checkArray(JsonNode node, JSONSchemaProps schema, String path, List<FieldError> errors) {
        if (schema.getMaxItems() != null && node.size() > schema.getMaxItems()) {
            errors.add(FieldError.tooMany(path, node.size(), schema.getMaxItems()));
        }
        if (schema.getMinItems() != null && node.size() < schema.getMinItems()) {
            errors.add(FieldError.invalid(path, String.valueOf(node.size()),
                    path + " in body should have at least " + schema.getMinItems() + " items"));
        }
        if (schema.getItems() != null && schema.getItems().getSchema() != null) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), schema.getItems().getSchema(), FieldPath.index(path, i), false, errors);
            }
        }
    }

    private static void checkObject(JsonNode node, JSONSchemaProps schema, String path, boolean root,
            List<FieldError> errors) {
        if (schema.getRequired() != null) {
            for (String r : schema.getRequired()) {
                if (!node.has(r)) {
                    errors.add(FieldError.required(FieldPath.child(path, r)));
                }
            }
        }
        if (schema.getMaxProperties() != null && node.size() > schema.getMaxProperties()) {
            errors.add(FieldError.tooMany(path, node.size(), schema.getMaxProperties()));
        }
        if (schema.getMinProperties() != null && node.size() < schema.getMinProperties()) {
            errors.add(FieldError.invalid(path, "\"object\"",
                    path + " in body should have at least " + schema.getMinProperties() + " properties"));
        }
        Map<String, JSONSchemaProps> properties = schema.getProperties();
        JSONSchemaProps additional = schema.getAdditionalProperties() == null ? null
                : schema.getAdditionalProperties().getSchema();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (root && Pruner.ROOT_FIELDS.contains(f.getKey())) {
                continue;
            }
            if (properties != null && properties.containsKey(f.getKey())) {
                check(f.getValue(), properties.get(f.getKey()), FieldPath.child(path, f.getKey()), false, errors);
            } else if (additional != null) {
                check(f.getValue(), additional, FieldPath.key(path, f.getKey()), false, errors);
            }
        }
    }

    static boolean hasType(JsonNode v, JSONSchemaProps schema) {
        if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
            return v.isIntegralNumber() || v.isTextual();
        }
        String type = schema.getType();
        if (type == null) {
            return true;
        }
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            // 1.0 is an integer to the API server (JSON has one number type); 1.5 is not.
            case "integer" -> v.isIntegralNumber() || v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0;
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            default -> true;
        };
    }

    static String jsonType(JsonNode v) {
        if (v.isObject()) return "object";
        if (v.isArray()) return "array";
        if (v.isTextual()) return "string";
        if (v.isIntegralNumber()) return "integer";
        if (v.isNumber()) return "number";
        if (v.isBoolean()) return "boolean";
        return "null";
    }

    private static String render(JsonNode v) {
        return v.isTextual() ? quote(v.asText()) : v.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
