package io.kubeqpu.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Field selectors on lists ({@code involvedObject.name=bell,involvedObject.kind=QuantumJob}, {@code a!=b}), which the
 * CRUD store does not evaluate beyond metadata.name; kubectl describe needs them to find an object's events.
 */
final class FieldSelector {
    private record Term(String path, String value, boolean equal) {
    }

    private final List<Term> terms = new ArrayList<>();

    FieldSelector(String selector) {
        for (String term : selector.split(",")) {
            if (term.isBlank()) {
                continue;
            }
            int ne = term.indexOf("!=");
            int eq = term.indexOf('=');
            if (ne >= 0) {
                terms.add(new Term(term.substring(0, ne).trim(), term.substring(ne + 2).trim(), false));
            } else if (eq >= 0) {
                int valueStart = term.startsWith("==", eq) ? eq + 2 : eq + 1;
                terms.add(new Term(term.substring(0, eq).trim(), term.substring(valueStart).trim(), true));
            }
        }
    }

    boolean matches(JsonNode object) {
        for (Term t : terms) {
            JsonNode v = SimpleJsonPath.read(object, "." + t.path());
            String actual = v == null ? "" : v.asText();
            if (actual.equals(t.value()) != t.equal()) {
                return false;
            }
        }
        return true;
    }
}
