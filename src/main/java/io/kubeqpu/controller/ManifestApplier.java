package io.kubeqpu.controller;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.api.v1alpha1.QuantumBatch;
import io.kubeqpu.api.v1alpha1.QuantumInstance;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.QuantumSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Creates (or updates) the quantum.kubeqpu.io objects of a multi-document YAML, typed, so that it needs no
 * API discovery: what {@code kubectl apply -f} does for our kinds. Used by the embedded default and tests.
 */
public final class ManifestApplier {
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "QuantumBackend", QuantumBackend.class, "QuantumInstance", QuantumInstance.class, "QuantumJob", QuantumJob.class,
            "QuantumBatch", QuantumBatch.class, "QuantumSession", QuantumSession.class);

    private ManifestApplier() {}

    /** Returns the objects created or updated, in document order. Other kinds are refused with a message. */
    public static List<HasMetadata> apply(KubernetesClient client, String yaml, String defaultNamespace) {
        List<HasMetadata> out = new ArrayList<>();
        var serialization = client.getKubernetesSerialization();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.isBlank() || doc.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) continue;
            GenericKubernetesResource generic = serialization.unmarshal(doc, GenericKubernetesResource.class);
            Class<? extends HasMetadata> type = KINDS.get(generic.getKind());
            if (type == null) throw new IllegalArgumentException("not a kubeqpu kind: " + generic.getKind());
            HasMetadata typed = serialization.convertValue(generic, type);
            if (typed instanceof Namespaced && typed.getMetadata().getNamespace() == null)
                typed.getMetadata().setNamespace(defaultNamespace);
            out.add(createOrUpdate(client, typed));
        }
        return out;
    }

    private static HasMetadata createOrUpdate(KubernetesClient client, HasMetadata o) {
        HasMetadata existing = client.resource(o).get();
        if (existing == null) return client.resource(o).create();
        // Like kubectl apply: the spec is replaced, the status kept.
        o.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        return client.resource(o).update();
    }
}
