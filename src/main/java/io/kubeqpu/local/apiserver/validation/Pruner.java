package io.kubeqpu.local.apiserver.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drops the fields a structural schema does not declare, as kube-apiserver prunes custom resources (unless
 * {@code x-kubernetes-preserve-unknown-fields}). Returns the pruned paths so that a request sent with
 * {@code fieldValidation=Strict} (kubectl's default) can be refused instead, like the real server does.
 */
final class Pruner {
    /** Root fields of every object: the API server owns them and never prunes them by the CRD's schema. */
    static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

    private Pruner() {
    }

    static List<String> prune(ObjectNode root, JSONSchemaProps schema) {
        List<String> pruned = new ArrayList<>();
        pruneObject(root, schema, "", true, pruned);
        return pruned;
    }

    private static void prune(JsonNode node, JSONSchemaProps schema, String path, List<String> pruned) {
        if (schema == null || Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
            return;
        }
        if (node instanceof ObjectNode object) {
            pruneObject(object, schema, path, false, pruned);
        } else if (node.isArray() && schema.getItems() != null) {
            for (int i = 0; i < node.size(); i++) {
                prune(node.get(i), schema.getItems().getSchema(), FieldPath.index(path, i), pruned);
            }
        }
    }

    private static void pruneObject(ObjectNode object, JSONSchemaProps schema, String path, boolean root,
            List<String> pruned) {
        Map<String, JSONSchemaProps> properties = schema.getProperties();
        JSONSchemaProps additional = schema.getAdditionalProperties() == null ? null
                : schema.getAdditionalProperties().getSchema();
        boolean preserve = Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields());
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            String childPath = FieldPath.child(path, name);
            if (root && ROOT_FIELDS.contains(name)) {
                continue;
            }
            if (properties != null && properties.containsKey(name)) {
                prune(field.getValue(), properties.get(name), childPath, pruned);
            } else if (additional != null) {
                prune(field.getValue(), additional, FieldPath.key(path, name), pruned);
            } else if (!preserve && (properties != null || !isOpenObject(schema))) {
                pruned.add(childPath);
                it.remove();
            }
        }
    }

    /** An object schema with neither properties nor additionalProperties accepts nothing, unless it is untyped. */
    private static boolean isOpenObject(JSONSchemaProps schema) {
        return schema.getType() == null && schema.getAdditionalProperties() == null;
    }
}
