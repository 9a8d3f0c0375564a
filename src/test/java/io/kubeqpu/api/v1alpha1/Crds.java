package io.kubeqpu.api.v1alpha1;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.function.BiConsumer;

/** Reads the checked-in CRDs and walks their schemas. */
final class Crds {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Crds() {
    }

    static CustomResourceDefinition load(Class<? extends CustomResource<?, ?>> kind) {
        String name = CustomResource.getCRDName(kind);
        try {
            String yaml = Files.readString(CrdGeneration.CRDS_DIR.resolve(name + "-v1.yml"));
            return SERIALIZATION.unmarshal(yaml, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JSONSchemaProps schema(Class<? extends CustomResource<?, ?>> kind) {
        return load(kind).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    }

    /** Visits every schema node with its path, e.g. {@code .spec.pubs[].circuit}; the root is "". */
    static void walk(JSONSchemaProps node, String path, BiConsumer<String, JSONSchemaProps> visitor) {
        visitor.accept(path, node);
        if (node.getProperties() != null) {
            node.getProperties().forEach((name, child) -> walk(child, path + "." + name, visitor));
        }
        if (node.getItems() != null && node.getItems().getSchema() != null) {
            walk(node.getItems().getSchema(), path + "[]", visitor);
        }
        if (node.getAdditionalProperties() != null && node.getAdditionalProperties().getSchema() != null) {
            walk(node.getAdditionalProperties().getSchema(), path + "{}", visitor);
        }
    }
}
