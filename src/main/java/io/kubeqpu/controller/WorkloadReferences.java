package io.kubeqpu.controller;

import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.api.v1alpha1.QuantumInstance;
import io.kubeqpu.api.v1alpha1.QuantumWorkloadSpec;
import io.kubeqpu.api.v1alpha1.WorkloadStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a new session or batch waits for before the scheduler takes it in: its instance (the one it names, else its
 * namespace's default) and its backend. Read from informers, where each reconcile used to LIST the namespace's
 * QuantumInstances twice; and a workload waiting for one of them is woken when it appears, where it was reconciled
 * every 250 ms (GitOps applies a session before its instance as often as after).
 */
final class WorkloadReferences<P extends CustomResource<? extends QuantumWorkloadSpec, WorkloadStatus>> {
    /** Index of the workloads by what they wait for: "QuantumInstance/ns/name", "QuantumInstance/ns/*", "QuantumBackend/name". */
    static final String REFERENCES = "references";

    private InformerEventSource<QuantumInstance, P> instances;
    private InformerEventSource<QuantumBackend, P> backends;

    List<EventSource<?, P>> eventSources(Class<P> type, EventSourceContext<P> context) {
        IndexerResourceCache<P> workloads = context.getPrimaryCache();
        workloads.addIndexer(REFERENCES, WorkloadReferences::references);
        instances = new InformerEventSource<>(InformerEventSourceConfiguration.from(QuantumInstance.class, type)
                .withSecondaryToPrimaryMapper(i -> {
                    String ns = i.getMetadata().getNamespace();
                    Set<ResourceID> ids = waiting(workloads, "QuantumInstance/" + ns + "/" + i.getMetadata().getName());
                    if (Boolean.TRUE.equals(i.getSpec().getDefaultInstance())) ids.addAll(waiting(workloads, "QuantumInstance/" + ns + "/*"));
                    return ids;
                }).build(), context);
        // Cluster-scoped: one informer on every namespace, whichever namespaces this controller watches.
        backends = new InformerEventSource<>(InformerEventSourceConfiguration.from(QuantumBackend.class, type)
                .withWatchAllNamespaces().withFollowControllerNamespacesChanges(false)
                .withSecondaryToPrimaryMapper(b -> waiting(workloads, "QuantumBackend/" + b.getMetadata().getName())).build(), context);
        return List.of(instances, backends);
    }

    static List<String> references(CustomResource<? extends QuantumWorkloadSpec, WorkloadStatus> w) {
        QuantumWorkloadSpec spec = w.getSpec();
        if (spec == null) return List.of();
        String ns = w.getMetadata().getNamespace();
        List<String> keys = new java.util.ArrayList<>(2);
        keys.add("QuantumInstance/" + ns + "/" + (spec.getInstance() != null ? spec.getInstance() : "*"));
        if (spec.getBackend() != null) keys.add("QuantumBackend/" + spec.getBackend());
        return keys;
    }

    /**
     * The workloads waiting for {@code key}: no operator has taken them in, so none has a phase yet. A Pending one is
     * taken in and waits for a lease, not for this: it is not woken by every status write of its instance or backend.
     */
    private static <P extends CustomResource<?, WorkloadStatus>> Set<ResourceID> waiting(IndexerResourceCache<P> workloads, String key) {
        Set<ResourceID> ids = new HashSet<>();
        for (P w : workloads.byIndex(REFERENCES, key))
            if (w.getStatus() == null || w.getStatus().getPhase() == null) ids.add(ResourceID.fromResource(w));
        return ids;
    }

    /** The namespace's instances marked {@code default: true}, sorted by name. */
    List<String> defaults(String namespace) {
        return References.defaults(instances.list(namespace, i -> true));
    }

    boolean instanceExists(String namespace, String name) {
        return instances.get(new ResourceID(name, namespace)).isPresent();
    }

    boolean backendExists(String name) {
        return backends.get(new ResourceID(name)).isPresent();
    }
}
