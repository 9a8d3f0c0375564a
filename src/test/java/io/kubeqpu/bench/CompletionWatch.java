package io.kubeqpu.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a user watching QuantumJobs sees: the moment each job shows {@code Completed} with its {@code resultRef}
 * (the job is done for its user only then), or a terminal failure ({@code Failed}, {@code Cancelled}). The benchmarks
 * stop their clocks here, not at the scheduler's decision. An informer through the API server, as {@code kubectl get
 * -w} would watch.
 */
final class CompletionWatch implements AutoCloseable {
    /** Job id ({@code namespace/name}) → System.nanoTime() when first seen Completed with a resultRef. */
    final Map<String, Long> completedAt = new ConcurrentHashMap<>();
    /** Job id → the phase and reason it was first seen ending in without a result. */
    final Map<String, String> failed = new ConcurrentHashMap<>();
    final AtomicInteger completed = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    private final SharedIndexInformer<QuantumJob> informer;

    CompletionWatch(KubernetesClient client, String namespace) {
        informer = client.resources(QuantumJob.class).inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(QuantumJob job) {
                seen(job);
            }

            @Override
            public void onUpdate(QuantumJob old, QuantumJob job) {
                seen(job);
            }

            @Override
            public void onDelete(QuantumJob job, boolean unknownFinalState) {
            }
        }, 0);
    }

    private void seen(QuantumJob job) {
        var st = job.getStatus();
        if (st == null || st.getPhase() == null) return;
        String id = job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
        long now = System.nanoTime();
        if (st.getPhase() == JobPhase.COMPLETED && st.getResultRef() != null) {
            if (completedAt.putIfAbsent(id, now) == null) completed.incrementAndGet();
        } else if (st.getPhase() == JobPhase.FAILED || st.getPhase() == JobPhase.CANCELLED) {
            if (failed.putIfAbsent(id, st.getPhase() + " " + st.getReason()) == null) failures.incrementAndGet();
        }
    }

    /** Jobs seen ended either way. */
    int ended() {
        return completed.get() + failures.get();
    }

    /** A few of the failures, for the printout: phase and reason, by count. */
    String failureSummary() {
        Map<String, Integer> byReason = new java.util.TreeMap<>();
        failed.values().forEach(r -> byReason.merge(r, 1, Integer::sum));
        return byReason.toString();
    }

    @Override
    public void close() {
        informer.close();
    }
}
