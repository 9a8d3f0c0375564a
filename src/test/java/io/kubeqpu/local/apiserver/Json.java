package io.kubeqpu.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Test objects written as YAML and edited by dotted paths ({@code spec.pubs[0].circuit}). */
final class Json {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private Json() {
    }

    static ObjectNode yaml(String text) {
        try {
            return (ObjectNode) YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode value(String yamlValue) {
        try {
            return YAML.readTree(yamlValue);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of {@code base} with {@code path} set to {@code yamlValue} (parsed as YAML: 3 is a number, "3" a string). */
    static ObjectNode with(ObjectNode base, String path, String yamlValue) {
        ObjectNode copy = base.deepCopy();
        String[] parts = path.split("\\.");
        JsonNode node = copy;
        for (int i = 0; i < parts.length - 1; i++) {
            node = step(node, parts[i]);
        }
        String last = parts[parts.length - 1];
        if (last.endsWith("]")) {
            int open = last.indexOf('[');
            ArrayNode array = (ArrayNode) node.get(last.substring(0, open));
            array.set(Integer.parseInt(last.substring(open + 1, last.length() - 1)), value(yamlValue));
        } else {
            ((ObjectNode) node).set(last, value(yamlValue));
        }
        return copy;
    }

    static ObjectNode without(ObjectNode base, String path) {
        ObjectNode copy = base.deepCopy();
        String[] parts = path.split("\\.");
        JsonNode node = copy;
        for (int i = 0; i < parts.length - 1; i++) {
            node = step(node, parts[i]);
        }
        ((ObjectNode) node).remove(parts[parts.length - 1]);
        return copy;
    }

    private static JsonNode step(JsonNode node, String part) {
        if (part.endsWith("]")) {
            int open = part.indexOf('[');
            return node.get(part.substring(0, open)).get(Integer.parseInt(part.substring(open + 1, part.length() - 1)));
        }
        return node.get(part);
    }
}
