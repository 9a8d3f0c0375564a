package io.kubeqpu.local.apiserver.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.Iterator;
import java.util.Map;

/**
 * Applies the schema's {@code default}s to absent fields, top-down, as kube-apiserver does for custom resources: a
 * defaulted object then gets its own properties' defaults. A {@code null} in a non-nullable field that has a default
 * is replaced by the default (the API server prunes such nulls before defaulting).
 */
final class Defaulter {
    private Defaulter() {
    }

    static void apply(JsonNode node, JSONSchemaProps schema) {
        if (schema == null || node == null) {
            return;
        }
        if (node instanceof ObjectNode object) {
            if (schema.getProperties() != null) {
                for (Map.Entry<String, JSONSchemaProps> p : schema.getProperties().entrySet()) {
                    JSONSchemaProps child = p.getValue();
                    JsonNode value = object.get(p.getKey());
                    boolean nullNotAllowed = value != null && value.isNull() && !Boolean.TRUE.equals(child.getNullable());
                    if (child.getDefault() != null && (value == null || nullNotAllowed)) {
                        object.set(p.getKey(), child.getDefault().deepCopy());
                    }
                }
                for (Map.Entry<String, JSONSchemaProps> p : schema.getProperties().entrySet()) {
                    apply(object.get(p.getKey()), p.getValue());
                }
            }
            if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
                for (Iterator<JsonNode> it = object.elements(); it.hasNext();) {
                    apply(it.next(), schema.getAdditionalProperties().getSchema());
                }
            }
        } else if (node.isArray() && schema.getItems() != null && schema.getItems().getSchema() != null) {
            for (JsonNode item : node) {
                apply(item, schema.getItems().getSchema());
            }
        }
    }
}
