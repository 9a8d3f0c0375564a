package io.kubeqpu.local.apiserver.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns JSON into the values CEL sees, typed by the schema as kube-apiserver does: {@code integer} is CEL int (Long),
 * {@code number} is CEL double even when written as {@code 1}, objects are maps (so {@code has(self.x)} tests
 * presence), arrays are lists.
 */
final class CelValues {
    private CelValues() {
    }

    static Object of(JsonNode node, JSONSchemaProps schema) {
        if (node == null || node.isNull()) {
            return NullValue.NULL_VALUE;
        }
        String type = schema == null ? null : schema.getType();
        if (node.isNumber()) {
            if ("number".equals(type) || !"integer".equals(type) && !node.isIntegralNumber()) {
                return node.doubleValue();
            }
            return node.longValue();
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isArray()) {
            JSONSchemaProps items = schema == null || schema.getItems() == null ? null : schema.getItems().getSchema();
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(of(item, items)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        JSONSchemaProps additional = schema == null || schema.getAdditionalProperties() == null ? null
                : schema.getAdditionalProperties().getSchema();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            JSONSchemaProps child = schema != null && schema.getProperties() != null
                    ? schema.getProperties().getOrDefault(f.getKey(), additional) : additional;
            map.put(f.getKey(), of(f.getValue(), child));
        }
        return map;
    }
}
