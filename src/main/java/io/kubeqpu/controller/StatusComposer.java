package io.kubeqpu.controller;

import io.fabric8.kubernetes.client.CustomResource;
import io.kubeqpu.api.v1alpha1.ObservedStatus;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.api.v1alpha1.QuantumBatch;
import io.kubeqpu.api.v1alpha1.QuantumInstance;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.QuantumJobStatus;
import io.kubeqpu.api.v1alpha1.QuantumSession;
import io.kubeqpu.api.v1alpha1.WorkloadStatus;
import io.kubeqpu.scheduler.JobPhase;
import io.kubeqpu.scheduler.JobView;
import io.kubeqpu.scheduler.QueueSnapshot;
import io.kubeqpu.scheduler.Scheduler;
import io.kubeqpu.scheduler.WorkloadPhase;
import io.kubeqpu.scheduler.WorkloadView;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What one pass of the status writer shows for each object, read from the scheduler: the pass's work apart from the
 * writes. Each read takes the scheduler's lock for O(1) work, except a backend's queue, copied once per pass
 * ({@link Scheduler#queueSnapshot}, reference copies); positions and start estimates are computed from that copy
 * outside the lock, so no scheduler event waits behind a pass.
 */
public final class StatusComposer {

    /** One object's status as the writer will patch it, with its Ready condition. */
    public record Picture(Class<? extends CustomResource<?, ?>> type, String namespace, String name,
                          ObservedStatus status, boolean ready, String reason, String message) {}

    /** What the writer knows beside the scheduler. */
    public record Context(Predicate<String> resultSaved, Predicate<String> resultMissing, Function<String, Boolean> deviceReady,
                          Function<String, String> instanceProblem, Function<String, Double> usageLimit) {}

    private static final Map<String, String> CAPITALIZED = new java.util.concurrent.ConcurrentHashMap<>();

    private final Scheduler scheduler;
    private final Context context;
    private final Map<String, QueueSnapshot> queues = new HashMap<>();

    /** One per pass: a backend's queue is read the first time the pass needs it, and then reused. */
    public StatusComposer(Scheduler scheduler, Context context) {
        this.scheduler = scheduler;
        this.context = context;
    }

    /** The job's status, or null when it is unknown or not to be shown yet. */
    public Picture job(String id) {
        JobView v = scheduler.job(id).orElse(null);
        if (v == null) return null;
        // Completed is shown with its resultRef: until the result ConfigMap is saved, the job keeps its last status
        // (resultSaved marks it again). The scheduler and the QPU have already moved on.
        boolean hasResult = context.resultSaved().test(id);
        if (v.phase() == JobPhase.COMPLETED && !hasResult && !context.resultMissing().test(id)) return null;
        QueueSnapshot queue = v.phase() == JobPhase.QUEUED && v.backend() != null ? queue(v.backend()) : null;
        int position = queue == null ? 0 : queue.position(v);
        QuantumJobStatus st = StatusMapper.job(v, position == 0 ? null : position, hasResult);
        Instant estimate = position == 0 ? null : queue.estimatedStartAt(position);
        st.setEstimatedStartAt(estimate == null ? null : estimate.toString());
        String reason = v.phase().isTerminal() ? (v.reason() == null ? "Completed" : v.reason()) : capitalized(v.phase().name());
        return new Picture(QuantumJob.class, Ids.namespace(id), Ids.name(id), st, v.phase() == JobPhase.COMPLETED, reason,
                st.getMessage());
    }

    public Picture workload(String id) {
        WorkloadView v = scheduler.workload(id).orElse(null);
        if (v == null) return null;
        WorkloadStatus st = StatusMapper.workload(v);
        boolean ok = v.phase() == WorkloadPhase.ACTIVE || v.phase() == WorkloadPhase.INACTIVE
                || v.phase() == WorkloadPhase.PENDING || v.phase() == WorkloadPhase.CLOSED;
        String reason = v.reason() == null ? capitalized(v.phase().name()) : v.reason();
        return new Picture(Ids.isSession(id) ? QuantumSession.class : QuantumBatch.class, Ids.namespace(id), Ids.name(id), st,
                ok, reason, st.getMessage());
    }

    public Picture backend(String name) {
        var v = scheduler.backend(name).orElse(null);
        if (v == null) return null;
        boolean device = context.deviceReady().apply(name);
        return new Picture(QuantumBackend.class, null, name, StatusMapper.backend(v, device), v.up() && device,
                v.up() ? "Available" : "Unavailable", v.leaseHolder() == null ? "no lease" : "leased by " + v.leaseHolder());
    }

    /** The first {@code n} jobs of the backend's queue: their positions are refreshed when the backend's status is. */
    public List<String> headOfQueue(String backend, int n) {
        return queue(backend).head(n);
    }

    public Picture instance(String id) {
        var v = scheduler.instance(id).orElse(null);
        if (v == null) return null;
        var st = StatusMapper.instance(v, scheduler.activeWorkloads(id));
        String problem = context.instanceProblem().apply(id);
        if (problem != null)
            return new Picture(QuantumInstance.class, Ids.namespace(id), Ids.name(id), st, false, DefaultInstances.REASON, problem);
        Double limit = context.usageLimit().apply(id);
        boolean within = limit == null || v.usageSeconds() < limit;
        return new Picture(QuantumInstance.class, Ids.namespace(id), Ids.name(id), st, within, null,
                limit == null ? "no usage limit" : String.format(Locale.ROOT, "%.1f of %.1f quantum seconds used in this period%s",
                        v.usageSeconds(), limit, within ? "" : ": no new job is dispatched until the period ends"));
    }

    private QueueSnapshot queue(String backend) {
        return queues.computeIfAbsent(backend, scheduler::queueSnapshot);
    }

    /** "QUEUED" → "Queued". Kept: only enum constants' names come here, and the writer asks for them with every status. */
    static String capitalized(String enumName) {
        return CAPITALIZED.computeIfAbsent(enumName, n -> n.charAt(0) + n.substring(1).toLowerCase(Locale.ROOT));
    }
}
