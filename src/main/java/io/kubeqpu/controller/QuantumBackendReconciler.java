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
    /** How often a backend whose simulator pods are not ready looks again. */
    static final Duration POD_READINESS_POLL = Duration.ofSeconds(2);
    static final Duration POD_HEALTH_POLL = Duration.ofSeconds(10);
    private final OperatorCore core;

    public QuantumBackendReconciler(OperatorCore core) {
        this.core = core;
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
        if (core.pods() != null) {
            ready = core.pods().apply(backend, profile, options);
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
        if (!ready) {
            core.recorder().backend(name);
            // Offline in process: nothing to poll, a change of its spec brings it back.
            if (offline && core.pods() == null) return UpdateControl.noUpdate();
            return UpdateControl.<QuantumBackend>noUpdate().rescheduleAfter(POD_READINESS_POLL);
        }
        core.recorder().backend(name);
        BackendView v = core.scheduler().backend(name).orElse(null);
        Instant next = v == null ? null : v.calibrating() ? v.calibratingUntil() : v.nextCalibrationAt();
        // With simulator pods, look at their health regularly: a pod may die between two events.
        if (core.pods() != null) {
            Instant health = core.clock().instant().plus(POD_HEALTH_POLL);
            if (next == null || health.isBefore(next)) next = health;
        }
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
