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
    private final WorkloadReconciling workloads;

    public QuantumSessionReconciler(OperatorCore core) {
        this.workloads = new WorkloadReconciling(core);
    }

    @Override
    public UpdateControl<QuantumSession> reconcile(QuantumSession session, Context<QuantumSession> context) {
        String id = Ids.session(session.getMetadata().getNamespace(), session.getMetadata().getName());
        Duration next = workloads.reconcile(session, id, WorkloadKind.SESSION, session.getSpec());
        return next == null ? UpdateControl.noUpdate() : UpdateControl.<QuantumSession>noUpdate().rescheduleAfter(next);
    }

    @Override
    public DeleteControl cleanup(QuantumSession session, Context<QuantumSession> context) {
        workloads.cancel(Ids.session(session.getMetadata().getNamespace(), session.getMetadata().getName()));
        return DeleteControl.defaultDelete();
    }
}
