package io.kubeqpu.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubeqpu.api.v1alpha1.QuantumWorkloadSpec;
import io.kubeqpu.scheduler.Event;
import io.kubeqpu.scheduler.Scheduler;
import io.kubeqpu.scheduler.WorkloadKind;
import io.kubeqpu.scheduler.WorkloadView;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

/** What the batch and session reconcilers share: register, close, cancel, and come back at the next TTL. */
final class WorkloadReconciling {
    private final OperatorCore core;
    private final WorkloadReferences<?> references;

    WorkloadReconciling(OperatorCore core, WorkloadReferences<?> references) {
        this.core = core;
        this.references = references;
    }

    /** Returns when to come back (a TTL deadline or a reference to wait for), or null. */
    Duration reconcile(HasMetadata cr, String id, WorkloadKind kind, QuantumWorkloadSpec spec) {
        return reconcile(cr, id, kind, spec, () -> true);
    }

    /**
     * @param mayClose false while jobs that belong to it are still to be submitted (a batch's inline jobs): a
     *                 batch applied with {@code acceptingJobs: false} still runs its own templates
     */
    Duration reconcile(HasMetadata cr, String id, WorkloadKind kind, QuantumWorkloadSpec spec, java.util.function.BooleanSupplier mayClose) {
        core.tick();
        core.recorder().seen(StatusRecorder.Kind.WORKLOAD, id, cr);
        Scheduler s = core.scheduler();
        WorkloadView v = s.workload(id).orElse(null);
        String unreadable = io.kubeqpu.api.v1alpha1.Unreadable.of(cr);
        if (unreadable != null) {
            // A poison object (issue 15): not registered with a field left out; reported on itself.
            String message = "the operator cannot read this " + cr.getKind() + ": " + unreadable + "; delete it and apply it with a value in range";
            if (v == null) {
                core.recorder().rejectWorkload(cr, id, io.kubeqpu.scheduler.Reasons.INVALID_SPEC, message);
                return null;
            }
            core.recorder().event(cr, io.kubeqpu.scheduler.Reasons.INVALID_SPEC, message);
        }
        if (v == null) {
            String ns = cr.getMetadata().getNamespace();
            java.util.List<String> defaults = spec.getInstance() == null ? references.defaults(ns) : java.util.List.of();
            String instance = spec.getInstance() != null ? Ids.of(ns, spec.getInstance()) : defaults.isEmpty() ? null : Ids.of(ns, defaults.get(0));
            // Several defaults: no instance is picked; the scheduler rejects the workload with a message naming them all.
            if (defaults.size() > 1) instance = Ids.of(ns, "(ambiguous: " + References.ambiguousDefault(ns, defaults) + ")");
            boolean grace = References.withinGrace(cr, core.clock()) && defaults.size() <= 1;
            boolean instanceMissing = instance == null || s.instance(instance).isEmpty();
            boolean backendMissing = s.backend(spec.getBackend()).isEmpty();
            if (grace && (instanceMissing || backendMissing)) {
                // In the informers' caches but not yet in the scheduler: its own reconciler takes it in within moments.
                if (instanceMissing && instance != null && references.instanceExists(ns, Ids.name(instance))
                        || backendMissing && spec.getBackend() != null && references.backendExists(spec.getBackend()))
                    return References.RETRY;
                // Not there at all: its creation wakes this workload (WorkloadReferences); at the grace's end it is taken
                // in with what it has, and the scheduler says what is missing.
                return Duration.between(core.clock().instant(), References.creation(cr).plus(References.GRACE)).plus(References.RETRY);
            }
            // After the grace period a missing instance is the scheduler's UnknownInstance, with the name in the message.
            var ws = SpecMapper.workload(id, kind, instance == null ? Ids.of(ns, "(none: no default QuantumInstance)") : instance, spec);
            core.apply(new Event.WorkloadCreated(new io.kubeqpu.scheduler.WorkloadSpec(ws.id(), ws.kind(), ws.instance(),
                    ws.backend(), ws.maxTTL(), ws.interactiveTTL(), true)));
            v = s.workload(id).orElse(null);
        }
        // Also when the scheduler already has it closed but not yet Closed: after a restart it was restored closed
        // from its spec, and the job whose end should have closed it may have ended before the restart.
        if (v != null && v.acceptingJobs() && Boolean.FALSE.equals(spec.getAcceptingJobs()) && !v.phase().isTerminal()) {
            // Jobs created before the close are not new jobs (DESIGN §3.10): they are let in first, so that a close
            // applied right after a submission (a Qiskit `with Session` block ending) does not refuse them.
            Instant closeSeen = core.closing().closeSeen(id, core.clock().instant());
            // A batch's own jobs wake it when they are submitted (its informer on them): no 250 ms retry either.
            if (!mayClose.getAsBoolean()) return CLOSE_FALLBACK;
            // Woken when one of those jobs is decided or deleted (ClosingWorkloads); the timer is only a fallback.
            if (core.closing().waitsFor(cr, closeSeen, s)) return CLOSE_FALLBACK;
            core.closing().done(cr);
            core.apply(new Event.WorkloadClosed(id));
        } else if (v != null && Boolean.FALSE.equals(spec.getAcceptingJobs()) && !v.phase().isTerminal()) {
            core.apply(new Event.WorkloadClosed(id));
        }
        core.recorder().workload(id);
        WorkloadView now = s.workload(id).orElse(null);
        if (now == null || now.phase().isTerminal()) return null;
        Instant next = Stream.of(now.maxTTLDeadline(), now.interactiveDeadline()).filter(t -> t != null)
                .min(Instant::compareTo).orElse(null);
        if (next == null) return null;
        Duration d = Duration.between(core.clock().instant(), next);
        return d.isNegative() ? Duration.ofMillis(1) : d.plusMillis(1);
    }

    /** How long a close waiting for jobs created before it waits at most before it looks again on its own. */
    static final Duration CLOSE_FALLBACK = Duration.ofSeconds(5);

    /** The workload was deleted: its jobs are cancelled and the scheduler and the status writer forget it. */
    void cancel(HasMetadata cr, String id) {
        core.closing().done(cr);
        if (core.scheduler().workload(id).isPresent()) core.apply(new Event.WorkloadCancelled(id));
        core.recorder().forget(StatusRecorder.Kind.WORKLOAD, id);
    }
}
