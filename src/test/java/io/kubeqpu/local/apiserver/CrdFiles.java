package io.kubeqpu.local.apiserver;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The checked-in CRDs (crds/), and every CEL rule in them with the schema path it sits at. */
final class CrdFiles {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** A rule's identity: the kind, the schema path ({@code .spec.jobs[].spec}; "" for the root) and its message. */
    record RuleRef(String kind, String path, String message, String rule) {
        String key() {
            return kind + " " + (path.isEmpty() ? "<root>" : path) + " | " + message;
        }
    }

    private CrdFiles() {
    }

    static List<CustomResourceDefinition> all() {
        try (Stream<Path> files = Files.list(Path.of("crds"))) {
            return files.filter(p -> p.toString().endsWith(".yml")).sorted().map(CrdFiles::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CustomResourceDefinition byKind(String kind) {
        return all().stream().filter(c -> c.getSpec().getNames().getKind().equals(kind)).findFirst().orElseThrow();
    }

    static JSONSchemaProps schema(String kind) {
        return byKind(kind).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    }

    static List<RuleRef> rules() {
        List<RuleRef> rules = new ArrayList<>();
        for (CustomResourceDefinition crd : all()) {
            collect(crd.getSpec().getNames().getKind(),
                    crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema(), "", rules);
        }
        return rules;
    }

    private static void collect(String kind, JSONSchemaProps node, String path, List<RuleRef> out) {
        if (node.getXKubernetesValidations() != null) {
            for (ValidationRule r : node.getXKubernetesValidations()) {
                out.add(new RuleRef(kind, path, r.getMessage(), r.getRule()));
            }
        }
        if (node.getProperties() != null) {
            node.getProperties().forEach((name, child) -> collect(kind, child, path + "." + name, out));
        }
        if (node.getItems() != null && node.getItems().getSchema() != null) {
            collect(kind, node.getItems().getSchema(), path + "[]", out);
        }
        if (node.getAdditionalProperties() != null && node.getAdditionalProperties().getSchema() != null) {
            collect(kind, node.getAdditionalProperties().getSchema(), path + "{}", out);
        }
    }

    private static CustomResourceDefinition read(Path file) {
        try {
            return SERIALIZATION.unmarshal(Files.readString(file), CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
