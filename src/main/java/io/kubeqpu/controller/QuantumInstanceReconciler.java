package io.kubeqpu.controller;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.kubeqpu.api.v1alpha1.QuantumInstance;
import io.kubeqpu.scheduler.Event;
import io.kubeqpu.scheduler.InstanceSpec;

/** QuantumInstance → the scheduler's instance (plan, weight, limit); its status shows usage in the period. */
// Every event, deletion included (without a finalizer: instances are the admin's and deleting one must not need the
// operator): the scheduler forgets a deleted instance, so that no job runs and is billed to it.
@ControllerConfiguration(name = "quantuminstance", triggerReconcilerOnAllEvents = true)
public class QuantumInstanceReconciler implements Reconciler<QuantumInstance> {
    private final OperatorCore core;

    public QuantumInstanceReconciler(OperatorCore core) {
        this.core = core;
    }

    @Override
    public UpdateControl<QuantumInstance> reconcile(QuantumInstance instance, Context<QuantumInstance> context) {
        core.tick();
        if (context.isPrimaryResourceDeleted()) {
            String id = Ids.of(instance);
            if (core.scheduler().instance(id).isPresent()) core.apply(new Event.InstanceDeleted(id));
            core.defaults().forget(instance);
            core.recorder().forget(StatusRecorder.Kind.INSTANCE, id);
            return UpdateControl.noUpdate();
        }
        String unreadable = io.kubeqpu.api.v1alpha1.Unreadable.of(instance);
        if (unreadable != null) {
            // A poison object (issue 15): the instance keeps its last readable configuration (or stays unknown).
            core.recorder().event(instance, io.kubeqpu.scheduler.Reasons.INVALID_SPEC, "the operator cannot read this instance: " + unreadable
                    + "; the change is not applied");
            return UpdateControl.noUpdate();
        }
        core.defaults().seen(instance);
        InstanceSpec spec = SpecMapper.instance(instance);
        core.recorder().seen(StatusRecorder.Kind.INSTANCE, spec.name(), instance);
        core.recorder().usageLimit(spec.name(), spec.usageLimitSeconds());
        core.apply(new Event.InstanceConfigured(spec));
        core.recorder().instance(spec.name());
        return UpdateControl.noUpdate();
    }
}
