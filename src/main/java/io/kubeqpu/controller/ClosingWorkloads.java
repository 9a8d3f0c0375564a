package io.kubeqpu.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.scheduler.Scheduler;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions and batches whose close waits for jobs created before it (DESIGN §3.10: they are let in first). The jobs
 * are read from the job controller's informer cache by what they name ({@link QuantumJobReconciler#NAMES}), not
 * LISTed; the job controller wakes a waiting workload when one of those jobs is decided (submitted, refused, failed)
 * or deleted, through an event source of the workload's controller, instead of the workload retrying every 250 ms.
 *
 * <p>The cache may trail the API server (a watch event's milliseconds, or a whole sync just after the operator
 * started), so when it says a close may go, one LIST confirms it before the close is applied: read a page at a time,
 * it stops at the first job that holds the close up.
 */
final class ClosingWorkloads {
    private final io.fabric8.kubernetes.client.KubernetesClient client;
    private volatile IndexerResourceCache<QuantumJob> jobs;

    ClosingWorkloads(io.fabric8.kubernetes.client.KubernetesClient client) {
        this.client = client;
    }
    /** The event source of each workload controller, by the kind of key it wakes ("QuantumSession", "QuantumBatch"). */
    private final Map<String, SimpleInboundEventSource<?>> wakers = new ConcurrentHashMap<>();
    /** Keys ("QuantumSession/ns/name") of the workloads whose close waits. */
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    /**
     * When this operator first saw each workload (by scheduler id) closed, by its own controller or by the job
     * controller, whichever saw it first: jobs created before that second are let in, the others are new and refused.
     */
    private final Map<String, Instant> closesSeen = new ConcurrentHashMap<>();

    /** When the workload's close was first seen ({@code now} if this is the first time). */
    Instant closeSeen(String workloadId, Instant now) {
        return closesSeen.computeIfAbsent(workloadId, k -> now);
    }

    /**
     * Whether a job created at {@code created} that names a workload whose spec says closed, but whose close the
     * scheduler has not applied yet, is a new job: created in the second the close was first seen or later. It must
     * not be submitted before the close, which does not wait for it and will refuse it (DESIGN §3.10).
     */
    boolean isAfterClose(String workloadId, Instant created, Instant now) {
        return created != null && !created.isBefore(closeSeen(workloadId, now).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    /** The job controller's cache, indexed by {@link QuantumJobReconciler#NAMES}. */
    void jobs(IndexerResourceCache<QuantumJob> cache) {
        this.jobs = cache;
    }

    /** An event source for a workload controller: it reconciles the workload whose close a job no longer holds up. */
    <P extends HasMetadata> SimpleInboundEventSource<P> waker(Class<P> kind) {
        SimpleInboundEventSource<P> source = new SimpleInboundEventSource<>("closing-" + kind.getSimpleName().toLowerCase());
        wakers.put(kind.getSimpleName(), source);
        return source;
    }

    /**
     * True while a job that names the workload, created in a second before {@code closeSeen} (creation times have
     * second precision: a job created in the same second as the close is a new job, and refused), exists but has not
     * been submitted to the scheduler yet; the workload is then woken when that changes.
     */
    boolean waitsFor(HasMetadata workload, Instant closeSeen, Scheduler s) {
        Instant before = closeSeen.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String key = key(workload.getKind(), workload.getMetadata().getNamespace(), workload.getMetadata().getName());
        // Marked first: a job decided between the read below and the mark still wakes the workload.
        waiting.add(key);
        IndexerResourceCache<QuantumJob> cache = jobs;
        boolean waits = cache == null // the job controller not registered yet: never a close too early
                || holdsUp(cache.byIndex(QuantumJobReconciler.NAMES, key), before, s);
        // The cache says the close may go. It may not have synced yet (another controller's informer, just after a
        // start: OperatorRestartChaosTest saw a session's job refused WorkloadClosed), so the API server has the last
        // word: one LIST when a close is applied, none while it waits.
        if (!waits) waits = Pages.any(client.resources(QuantumJob.class).inNamespace(workload.getMetadata().getNamespace()),
                j -> QuantumJobReconciler.names(j).contains(key) && holdsUp(j, before, s));
        if (!waits) waiting.remove(key);
        return waits;
    }

    private static boolean holdsUp(java.util.Collection<QuantumJob> candidates, Instant before, Scheduler s) {
        for (QuantumJob j : candidates) if (holdsUp(j, before, s)) return true;
        return false;
    }

    /** Whether the job, created before that second, exists and is not submitted yet. */
    private static boolean holdsUp(QuantumJob j, Instant before, Scheduler s) {
        Instant created = References.creation(j);
        if (created == null || !created.isBefore(before) || j.getMetadata().getDeletionTimestamp() != null) return false;
        return !decided(j) && s.job(Ids.of(j)).isEmpty();
    }

    /** The workload closed or is gone: nothing wakes it any more. */
    void done(HasMetadata workload) {
        waiting.remove(key(workload.getKind(), workload.getMetadata().getNamespace(), workload.getMetadata().getName()));
        String ns = workload.getMetadata().getNamespace(), name = workload.getMetadata().getName();
        closesSeen.remove("QuantumSession".equals(workload.getKind()) ? Ids.session(ns, name) : Ids.batch(ns, name));
    }

    /** The job was decided or is being deleted: the workload it names is woken if its close waits. */
    void jobSettled(QuantumJob j) {
        if (waiting.isEmpty() || j.getSpec() == null) return;
        String ns = j.getMetadata().getNamespace();
        if (j.getSpec().getSessionRef() != null) wake("QuantumSession", ns, j.getSpec().getSessionRef().getName());
        if (j.getSpec().getBatchRef() != null) wake("QuantumBatch", ns, j.getSpec().getBatchRef().getName());
    }

    private void wake(String kind, String ns, String name) {
        if (!waiting.contains(key(kind, ns, name))) return;
        SimpleInboundEventSource<?> source = wakers.get(kind);
        if (source != null) source.propagateEvent(new ResourceID(name, ns));
    }

    /** The job has a status the scheduler decided (anything but none or Pending). */
    static boolean decided(QuantumJob j) {
        return j.getStatus() != null && j.getStatus().getPhase() != null && j.getStatus().getPhase() != JobPhase.PENDING;
    }

    private static String key(String kind, String ns, String name) {
        return kind + "/" + ns + "/" + name;
    }
}
