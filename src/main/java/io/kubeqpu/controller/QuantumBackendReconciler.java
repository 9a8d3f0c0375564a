package io.kubeqpu.controller;

import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.scheduler.BackendSpec;
import io.kubeqpu.scheduler.BackendView;
import io.kubeqpu.scheduler.Event;
import java.time.Duration;
import java.time.Instant;

/** QuantumBackend → a QPU device and the scheduler's backend; comes back when a calibration is due or ends. */
@ControllerConfiguration(name = "quantumbackend")
public class QuantumBackendReconciler implements Reconciler<QuantumBackend>, Cleaner<QuantumBackend> {
    private final OperatorCore core;

    public QuantumBackendReconciler(OperatorCore core) {
        this.core = core;
    }

    @Override
    public UpdateControl<QuantumBackend> reconcile(QuantumBackend backend, Context<QuantumBackend> context) {
        core.tick();
        String name = backend.getMetadata().getName();
        core.fleet().ensure(name, SpecMapper.profile(backend), SpecMapper.deviceOptions(backend));
        BackendSpec spec = SpecMapper.backend(backend);
        if (!spec.equals(core.scheduler().backendSpec(name))) core.apply(new Event.BackendConfigured(spec));
        core.recorder().backend(name);
        BackendView v = core.scheduler().backend(name).orElse(null);
        Instant next = v == null ? null : v.calibrating() ? v.calibratingUntil() : v.nextCalibrationAt();
        if (next == null) return UpdateControl.noUpdate();
        Duration d = Duration.between(core.clock().instant(), next);
        return UpdateControl.<QuantumBackend>noUpdate().rescheduleAfter(d.isNegative() ? Duration.ofMillis(1) : d.plusMillis(1));
    }

    @Override
    public DeleteControl cleanup(QuantumBackend backend, Context<QuantumBackend> context) {
        String name = backend.getMetadata().getName();
        if (core.scheduler().backend(name).isPresent())
            core.apply(new Event.BackendAvailability(name, false, "QuantumBackend " + name + " was deleted"));
        core.fleet().remove(name);
        return DeleteControl.defaultDelete();
    }
}
