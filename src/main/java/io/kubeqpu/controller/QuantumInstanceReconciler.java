package io.kubeqpu.controller;

import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.kubeqpu.api.v1alpha1.QuantumInstance;
import io.kubeqpu.scheduler.Event;
import io.kubeqpu.scheduler.InstanceSpec;

/**
 * QuantumInstance → the scheduler's instance (plan, weight, limit); its status shows usage in the period. A finalizer
 * lets its deletion fail its queued jobs ({@code InstanceDeleted}) instead of leaving them to run unbilled.
 */
@ControllerConfiguration(name = "quantuminstance")
public class QuantumInstanceReconciler implements Reconciler<QuantumInstance>, Cleaner<QuantumInstance> {
    private final OperatorCore core;

    public QuantumInstanceReconciler(OperatorCore core) {
        this.core = core;
    }

    @Override
    public UpdateControl<QuantumInstance> reconcile(QuantumInstance instance, Context<QuantumInstance> context) {
        core.tick();
        InstanceSpec spec = SpecMapper.instance(instance);
        core.recorder().seen(StatusRecorder.Kind.INSTANCE, spec.name(), instance);
        core.apply(new Event.InstanceConfigured(spec));
        core.recorder().instance(spec.name());
        return UpdateControl.noUpdate();
    }

    @Override
    public DeleteControl cleanup(QuantumInstance instance, Context<QuantumInstance> context) {
        String id = Ids.of(instance);
        if (core.scheduler().instance(id).isPresent()) core.apply(new Event.InstanceDeleted(id));
        core.recorder().forget(StatusRecorder.Kind.INSTANCE, id);
        return DeleteControl.defaultDelete();
    }
}
