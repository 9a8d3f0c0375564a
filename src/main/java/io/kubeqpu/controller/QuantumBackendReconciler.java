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

/**
 * QuantumBackend → a QPU device and the scheduler's backend; comes back when a calibration is due or ends. With
 * simulator pods, also when its simulator Deployment or Service changes (its ready replicas: up or down at once).
 */
@ControllerConfiguration(name = "quantumbackend")
public class QuantumBackendReconciler implements Reconciler<QuantumBackend>, Cleaner<QuantumBackend> {
    private final OperatorCore core;
    /** The simulator Deployment and Service of each backend; null in process (no pods, no informers on them). */
    private final SimulatorDependents simulators;

    public QuantumBackendReconciler(OperatorCore core) {
        this.core = core;
        this.simulators = core.pods() == null ? null : new SimulatorDependents(core.pods());
    }

    @Override
    public java.util.List<io.javaoperatorsdk.operator.processing.event.source.EventSource<?, QuantumBackend>> prepareEventSources(
            io.javaoperatorsdk.operator.api.reconciler.EventSourceContext<QuantumBackend> context) {
        return simulators == null ? java.util.List.of() : simulators.eventSources(context);
    }

    @Override
    public UpdateControl<QuantumBackend> reconcile(QuantumBackend backend, Context<QuantumBackend> context) {
        core.tick();
        String name = backend.getMetadata().getName();
        core.recorder().seen(StatusRecorder.Kind.BACKEND, name, backend);
        String unreadable = io.kubeqpu.api.v1alpha1.Unreadable.of(backend);
        if (unreadable != null) {
            // A poison object (issue 15): the backend keeps what it was configured with (or stays unknown to jobs).
            core.recorder().event(backend, io.kubeqpu.scheduler.Reasons.INVALID_SPEC, "the operator cannot read this backend: " + unreadable
                    + "; the change is not applied (jobs keep the backend's last readable spec, or find no backend)");
            return UpdateControl.noUpdate();
        }
        core.limits().backendSeen(backend);
        var profile = SpecMapper.profile(backend);
        var options = SpecMapper.deviceOptions(backend);
        // simulator.replicas: 0 takes the backend offline (docs/api.md), with simulator pods or in process.
        boolean offline = backend.getSpec().getSimulator() != null
                && Integer.valueOf(0).equals(backend.getSpec().getSimulator().getReplicas());
        boolean ready = !offline;
        if (simulators != null) {
            ready = simulators.reconcile(backend, context);
            // A pod that comes back is a new QPU (its event numbering restarts): talk to it with a fresh client.
            boolean wasUp = core.scheduler().backend(name).map(BackendView::up).orElse(true);
            if (ready && !wasUp) core.fleet().remove(name);
        }
        core.fleet().ensure(name, profile, options);
        BackendSpec spec = SpecMapper.backend(backend);
        if (!spec.equals(core.scheduler().backendSpec(name))) core.apply(new Event.BackendConfigured(spec));
        // A backend whose simulator pods are not ready takes no new jobs; running ones are retried once (DESIGN §4).
        boolean up = core.scheduler().backend(name).map(BackendView::up).orElse(false);
        if (up != ready) {
            String why = offline ? "backend " + name + " is offline (simulator.replicas: 0)"
                    : "simulator pods of " + name + " are not ready";
            core.apply(new Event.BackendAvailability(name, ready, ready ? null : why));
            core.recorder().event(StatusRecorder.Kind.BACKEND, name, ready ? "Available" : "Unavailable",
                    ready ? "the QPU answers again" : why + ": no job starts", !ready);
        }
        core.recorder().backend(name);
        // Not ready: its Deployment's next change (a ready replica) or a change of its spec brings it back.
        if (!ready) return UpdateControl.noUpdate();
        BackendView v = core.scheduler().backend(name).orElse(null);
        Instant next = v == null ? null : v.calibrating() ? v.calibratingUntil() : v.nextCalibrationAt();
        if (next == null) return UpdateControl.noUpdate();
        Duration d = Duration.between(core.clock().instant(), next);
        return UpdateControl.<QuantumBackend>noUpdate().rescheduleAfter(d.isNegative() ? Duration.ofMillis(1) : d.plusMillis(1));
    }

    @Override
    public DeleteControl cleanup(QuantumBackend backend, Context<QuantumBackend> context) {
        String name = backend.getMetadata().getName();
        if (core.scheduler().backend(name).isPresent()) core.apply(new Event.BackendDeleted(name));
        core.fleet().remove(name);
        core.recorder().forget(StatusRecorder.Kind.BACKEND, name);
        core.limits().backendGone(name);
        return DeleteControl.defaultDelete();
    }
}
