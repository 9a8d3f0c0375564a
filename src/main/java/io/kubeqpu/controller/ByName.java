package io.kubeqpu.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;

/**
 * An object addressed by its name and namespace (null for a cluster-scoped kind), to patch or GET. Fabric8's
 * {@code withName(n).patch(PatchContext, String)} first GETs the object when it was given none
 * (BaseOperation.getItemOrRequireFromServer), so every status write cost two round trips: OperatorBench counted
 * 10,000 GETs of QuantumJobs beside 10,000 status patches. Handed an object that carries only the name and namespace,
 * a patch goes alone (the patch text is all the API server reads), and {@code get()} still asks the server.
 */
final class ByName {
    private ByName() {
    }

    static <R extends HasMetadata> Resource<R> of(KubernetesClient client, Class<R> type, String ns, String name) {
        R named;
        try {
            named = type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(type + " has no public no-argument constructor", e);
        }
        named.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        return ns == null ? client.resources(type).resource(named) : client.resources(type).inNamespace(ns).resource(named);
    }
}
