package io.kubeqpu.local.apiserver.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.runtime.CelEvaluationException;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs every {@code x-kubernetes-validations} rule of a schema over an object, the way kube-apiserver does: at each
 * schema node that has rules and a value, {@code self} is that value; {@code oldSelf} is the value at the same place in
 * the stored object, correlated through object properties and map keys (not through list items: kubeqpu's schemas have
 * no {@code x-kubernetes-list-type: map}). A transition rule (one that reads oldSelf) runs only when there is an old
 * value, so it never blocks a create. The CEL cost budget is not enforced.
 */
final class CelValidator {
    private static final Map<String, CelRule> COMPILED = new ConcurrentHashMap<>();

    private CelValidator() {
    }

    static void validate(JsonNode node, JsonNode old, JSONSchemaProps schema, String path, List<FieldError> errors) {
        if (schema == null || node == null || node.isNull()) {
            return;
        }
        if (schema.getXKubernetesValidations() != null) {
            for (ValidationRule rule : schema.getXKubernetesValidations()) {
                evaluate(rule, node, old, schema, path, errors);
            }
        }
        if (node.isObject()) {
            JSONSchemaProps additional = schema.getAdditionalProperties() == null ? null
                    : schema.getAdditionalProperties().getSchema();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode oldChild = old == null || !old.isObject() ? null : old.get(f.getKey());
                if (schema.getProperties() != null && schema.getProperties().containsKey(f.getKey())) {
                    validate(f.getValue(), oldChild, schema.getProperties().get(f.getKey()),
                            FieldPath.child(path, f.getKey()), errors);
                } else if (additional != null) {
                    validate(f.getValue(), oldChild, additional, FieldPath.key(path, f.getKey()), errors);
                }
            }
        } else if (node.isArray() && schema.getItems() != null) {
            for (int i = 0; i < node.size(); i++) {
                validate(node.get(i), null, schema.getItems().getSchema(), FieldPath.index(path, i), errors);
            }
        }
    }

    private static void evaluate(ValidationRule rule, JsonNode node, JsonNode old, JSONSchemaProps schema, String path,
            List<FieldError> errors) {
        CelRule compiled = COMPILED.computeIfAbsent(rule.getRule(), CelRule::compile);
        if (compiled.isTransition() && (old == null || old.isNull())) {
            return;
        }
        Object self = CelValues.of(node, schema);
        Object oldSelf = compiled.isTransition() ? CelValues.of(old, schema) : null;
        String field = FieldPath.display(withFieldPath(path, rule.getFieldPath()));
        String typeName = schema.getType() == null ? "object" : schema.getType();
        try {
            Object result = compiled.evaluate(self, oldSelf);
            if (!Boolean.TRUE.equals(result)) {
                errors.add(FieldError.rule(field, rule.getReason(), typeName, message(rule, self, oldSelf)));
            }
        } catch (CelEvaluationException e) {
            // kube-apiserver reports a rule that cannot be evaluated (e.g. a missing field read without has()) as invalid.
            errors.add(FieldError.invalid(field, "\"" + typeName + "\"",
                    "rule evaluation error: " + rule.getRule() + ": " + e.getMessage()));
        }
    }

    private static String message(ValidationRule rule, Object self, Object oldSelf) {
        if (rule.getMessageExpression() != null && !rule.getMessageExpression().isBlank()) {
            try {
                Object m = COMPILED.computeIfAbsent(rule.getMessageExpression(), CelRule::compile).evaluate(self, oldSelf);
                if (m instanceof String s && !s.isBlank()) {
                    return s;
                }
            } catch (CelEvaluationException e) {
                // The API server falls back to message (or the rule) when messageExpression fails.
            }
        }
        if (rule.getMessage() != null && !rule.getMessage().isBlank()) {
            return rule.getMessage();
        }
        return "failed rule: " + rule.getRule();
    }

    /** A rule's fieldPath (e.g. {@code .backend}) names a field below the rule's node. */
    private static String withFieldPath(String path, String fieldPath) {
        if (fieldPath == null || fieldPath.isBlank()) {
            return path;
        }
        String relative = fieldPath.startsWith(".") ? fieldPath.substring(1) : fieldPath;
        return path.isEmpty() ? relative : path + "." + relative;
    }
}
