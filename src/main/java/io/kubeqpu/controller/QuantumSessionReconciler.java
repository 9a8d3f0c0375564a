package io.kubeqpu.controller;

import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.kubeqpu.api.v1alpha1.QuantumSession;
import io.kubeqpu.scheduler.WorkloadKind;
import java.time.Duration;

/** QuantumSession → the scheduler: exclusive lease, TTL timers by rescheduling, delete cancels its jobs. */
@ControllerConfiguration(name = "quantumsession")
public class QuantumSessionReconciler implements Reconciler<QuantumSession>, Cleaner<QuantumSession> {
    private final OperatorCore core;
    private final WorkloadReconciling workloads;
    private final WorkloadReferences<QuantumSession> references = new WorkloadReferences<>();

    public QuantumSessionReconciler(OperatorCore core) {
        this.core = core;
        this.workloads = new WorkloadReconciling(core, references);
    }

    /**
     * Woken when a job its close waits for is decided (ClosingWorkloads), and when the instance or backend a new
     * session waits for appears (WorkloadReferences), instead of retrying every 250 ms.
     */
    @Override
    public java.util.List<io.javaoperatorsdk.operator.processing.event.source.EventSource<?, QuantumSession>> prepareEventSources(
            io.javaoperatorsdk.operator.api.reconciler.EventSourceContext<QuantumSession> context) {
        var sources = new java.util.ArrayList<>(references.eventSources(QuantumSession.class, context));
        sources.add(core.closing().waker(QuantumSession.class));
        return sources;
    }

    @Override
    public UpdateControl<QuantumSession> reconcile(QuantumSession session, Context<QuantumSession> context) {
        String id = Ids.session(session.getMetadata().getNamespace(), session.getMetadata().getName());
        Duration next = workloads.reconcile(session, id, WorkloadKind.SESSION, session.getSpec());
        return next == null ? UpdateControl.noUpdate() : UpdateControl.<QuantumSession>noUpdate().rescheduleAfter(next);
    }

    @Override
    public DeleteControl cleanup(QuantumSession session, Context<QuantumSession> context) {
        workloads.cancel(session, Ids.session(session.getMetadata().getNamespace(), session.getMetadata().getName()));
        return DeleteControl.defaultDelete();
    }
}
