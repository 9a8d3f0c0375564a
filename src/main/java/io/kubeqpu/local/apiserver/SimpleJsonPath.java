package io.kubeqpu.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The JSONPath subset printer columns use here: dotted fields with optional list indexes ({@code .status.phase},
 * {@code .spec.pubs[0].shots}). kube-apiserver accepts any JSONPath; a column with filters or wildcards prints empty.
 */
final class SimpleJsonPath {
    private SimpleJsonPath() {
    }

    /** The value at {@code path}, or null when absent or the path is beyond this subset. */
    static JsonNode read(JsonNode root, String path) {
        String p = path.trim();
        if (p.startsWith("{") && p.endsWith("}")) {
            p = p.substring(1, p.length() - 1);
        }
        if (!p.startsWith(".")) {
            return null;
        }
        JsonNode node = root;
        for (String part : p.substring(1).split("\\.")) {
            if (node == null || part.isEmpty() || part.contains("*") || part.contains("?")) {
                return null;
            }
            int bracket = part.indexOf('[');
            String field = bracket < 0 ? part : part.substring(0, bracket);
            node = node.get(field);
            while (node != null && bracket >= 0) {
                int close = part.indexOf(']', bracket);
                try {
                    node = node.get(Integer.parseInt(part.substring(bracket + 1, close)));
                } catch (NumberFormatException e) {
                    return null;
                }
                bracket = part.indexOf('[', close);
            }
        }
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }
}
