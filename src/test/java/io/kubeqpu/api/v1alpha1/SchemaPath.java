package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** A field's path in a CRD schema as the bound and corpus tests write it: {@code spec.pubs[].namedParameterValues{}}. */
public final class SchemaPath {
    private SchemaPath() {}

    /** The steps of a path: names, {@code []} for a list's items, {@code {}} for a map's values. */
    public static List<String> steps(String path) {
        List<String> steps = new ArrayList<>();
        for (String part : path.split("\\.")) {
            String name = part;
            List<String> suffix = new ArrayList<>();
            while (name.endsWith("[]") || name.endsWith("{}")) {
                suffix.add(0, name.substring(name.length() - 2));
                name = name.substring(0, name.length() - 2);
            }
            if (!name.isEmpty()) steps.add(name);
            steps.addAll(suffix);
        }
        return steps;
    }

    /** Sets {@code value} at a path a.b[].c{} (into element 0 of a list, key "k" of a map), creating what is missing. */
    public static void set(ObjectNode root, String path, JsonNode value) {
        List<String> steps = steps(path);
        JsonNode node = root;
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i);
            boolean last = i == steps.size() - 1;
            String next = last ? null : steps.get(i + 1);
            JsonNode child = last ? value
                    : "[]".equals(next) ? JsonNodeFactory.instance.arrayNode() : JsonNodeFactory.instance.objectNode();
            if (node instanceof ArrayNode a) {
                if (a.isEmpty()) a.add(child);
                else if (last) a.set(0, child);
                node = a.get(0);
            } else {
                ObjectNode o = (ObjectNode) node;
                String key = "{}".equals(step) ? "k" : step;
                if (last || !o.has(key) || o.get(key).isNull()) o.set(key, child);
                node = o.get(key);
            }
        }
    }
}
