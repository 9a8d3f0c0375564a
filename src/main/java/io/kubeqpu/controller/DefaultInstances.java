package io.kubeqpu.controller;

import io.kubeqpu.api.v1alpha1.QuantumInstance;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which instances are marked {@code default: true}, per namespace, as the instance reconciler sees them: two or more
 * in one namespace is an ambiguity the operator reports on each of them (Ready=False, reason
 * {@value #REASON}) instead of picking one silently.
 */
final class DefaultInstances {
    static final String REASON = "AmbiguousDefault";

    private final Map<String, Set<String>> byNamespace = new ConcurrentHashMap<>();
    /** Marks an instance's status to be written again (its condition changed with its namespace's defaults). */
    private final Consumer<String> changed;

    DefaultInstances(Consumer<String> changed) {
        this.changed = changed;
    }

    void seen(QuantumInstance i) {
        update(i, Boolean.TRUE.equals(i.getSpec().getDefaultInstance()));
    }

    void forget(QuantumInstance i) {
        update(i, false);
    }

    private void update(QuantumInstance i, boolean isDefault) {
        String ns = i.getMetadata().getNamespace(), name = i.getMetadata().getName();
        Set<String> set = byNamespace.computeIfAbsent(ns, k -> ConcurrentHashMap.newKeySet());
        boolean wasAmbiguous = set.size() > 1;
        boolean moved = isDefault ? set.add(name) : set.remove(name);
        if (!moved) return;
        if (wasAmbiguous || set.size() > 1) {
            for (String other : List.copyOf(set)) changed.accept(Ids.of(ns, other));
            if (!isDefault) changed.accept(Ids.of(ns, name));
        }
    }

    /** Why the instance is not Ready: the other defaults of its namespace; null when it is the only one (or none). */
    String conflict(String instanceId) {
        Set<String> set = byNamespace.get(Ids.namespace(instanceId));
        if (set == null || set.size() < 2 || !set.contains(Ids.name(instanceId))) return null;
        return References.ambiguousDefault(Ids.namespace(instanceId), List.copyOf(new TreeSet<>(set)));
    }
}
