package io.kubeqpu.api.v1alpha1;

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
}
