package io.kubeqpu.local.apiserver;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The CRDs installed in the embedded API server, kept in step with the store (the dispatcher reports every write to
 * {@code customresourcedefinitions}), so discovery, tables, OpenAPI and validation follow what was applied.
 */
final class CrdRegistry {
    private final Map<String, CustomResourceDefinition> byName = new ConcurrentSkipListMap<>();

    void put(CustomResourceDefinition crd) {
        byName.put(crd.getMetadata().getName(), crd);
    }

    void remove(String name) {
        byName.remove(name);
    }

    Collection<CustomResourceDefinition> all() {
        return byName.values();
    }

    Optional<CustomResourceDefinition> find(String group, String plural) {
        return Optional.ofNullable(byName.get(plural + "." + group));
    }

    /** The served version {@code version} of the CRD, if any. */
    static Optional<CustomResourceDefinitionVersion> version(CustomResourceDefinition crd, String version) {
        return crd.getSpec().getVersions().stream()
                .filter(v -> v.getName().equals(version) && Boolean.TRUE.equals(v.getServed())).findFirst();
    }

    static boolean hasStatusSubresource(CustomResourceDefinitionVersion v) {
        return v.getSubresources() != null && v.getSubresources().getStatus() != null;
    }
}
