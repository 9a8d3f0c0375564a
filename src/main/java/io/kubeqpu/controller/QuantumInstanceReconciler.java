package io.kubeqpu.controller;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.kubeqpu.api.v1alpha1.QuantumInstance;
import io.kubeqpu.scheduler.Event;
import io.kubeqpu.scheduler.InstanceSpec;

/** QuantumInstance → the scheduler's instance (plan, weight, limit); its status shows usage in the period. */
@ControllerConfiguration(name = "quantuminstance")
public class QuantumInstanceReconciler implements Reconciler<QuantumInstance> {
    private final OperatorCore core;

    public QuantumInstanceReconciler(OperatorCore core) {
        this.core = core;
    }

    @Override
    public UpdateControl<QuantumInstance> reconcile(QuantumInstance instance, Context<QuantumInstance> context) {
        core.tick();
        InstanceSpec spec = SpecMapper.instance(instance);
        core.recorder().generation(StatusRecorder.Kind.INSTANCE, spec.name(), instance.getMetadata().getGeneration());
        core.recorder().usageLimit(spec.name(), spec.usageLimitSeconds());
        core.apply(new Event.InstanceConfigured(spec));
        core.recorder().instance(spec.name());
        return UpdateControl.noUpdate();
    }
}
