package io.kubeqpu.controller;

import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.QuantumJobSpec;
import io.kubeqpu.api.v1alpha1.QuantumJobStatus;
import io.kubeqpu.api.v1alpha1.QuantumSession;
import io.kubeqpu.api.v1alpha1.QuantumBatch;
import io.kubeqpu.scheduler.Event;
import io.kubeqpu.scheduler.JobSpec;
import io.kubeqpu.scheduler.JobView;
import io.kubeqpu.scheduler.Reasons;
import io.kubeqpu.scheduler.Scheduler;
import java.time.Duration;
import java.time.Instant;

/**
 * QuantumJob → the scheduler. Submits a job once (its creation time keeps its FIFO place), then keeps its status
 * fresh; its only timers are its own deadlines while it runs. A finalizer stops a running job on delete.
 */
@ControllerConfiguration(name = "quantumjob")
public class QuantumJobReconciler implements Reconciler<QuantumJob>, Cleaner<QuantumJob> {
    private final OperatorCore core;

    public QuantumJobReconciler(OperatorCore core) {
        this.core = core;
    }

    @Override
    public UpdateControl<QuantumJob> reconcile(QuantumJob job, Context<QuantumJob> context) {
        core.tick();
        String id = Ids.of(job);
        core.recorder().generation(StatusRecorder.Kind.JOB, id, job.getMetadata().getGeneration());
        Scheduler s = core.scheduler();
        JobView v = s.job(id).orElse(null);
        if (v == null) {
            if (job.getStatus() != null && job.getStatus().getPhase() == JobPhase.FAILED) return UpdateControl.noUpdate();
            Duration wait = submit(job, s);
            if (wait != null) return UpdateControl.<QuantumJob>noUpdate().rescheduleAfter(wait);
            v = s.job(id).orElse(null);
        } else {
            core.recorder().job(id);
        }
        Instant deadline = v == null ? null : v.nextDeadline();
        if (deadline == null) return UpdateControl.noUpdate();
        return UpdateControl.<QuantumJob>noUpdate().rescheduleAfter(until(deadline));
    }

    /** Submits the job, or returns how long to wait for a reference that does not resolve yet. */
    private Duration submit(QuantumJob job, Scheduler s) {
        String ns = job.getMetadata().getNamespace();
        QuantumJobSpec spec = job.getSpec();
        boolean grace = References.withinGrace(job, core.clock());
        String workload = null;
        if (spec.getSessionRef() != null) {
            workload = Ids.session(ns, spec.getSessionRef().getName());
            boolean exists = core.client().resources(QuantumSession.class).inNamespace(ns).withName(spec.getSessionRef().getName()).get() != null;
            if (s.workload(workload).isEmpty() && (exists || grace)) return References.RETRY;
        } else if (spec.getBatchRef() != null) {
            workload = Ids.batch(ns, spec.getBatchRef().getName());
            boolean exists = core.client().resources(QuantumBatch.class).inNamespace(ns).withName(spec.getBatchRef().getName()).get() != null;
            if (s.workload(workload).isEmpty() && (exists || grace)) return References.RETRY;
        }
        if (spec.getSessionRef() != null) label(job, SESSION_LABEL, spec.getSessionRef().getName());
        else if (spec.getBatchRef() != null) label(job, BATCH_LABEL, spec.getBatchRef().getName());
        String instance = spec.getInstance() != null ? Ids.of(ns, spec.getInstance())
                : workload != null ? null : References.instance(core.client(), ns, null);
        if (workload == null && instance == null) {
            if (grace) return References.RETRY;
            fail(job, Reasons.UNKNOWN_INSTANCE, "the job names no instance and namespace " + ns + " has no default QuantumInstance");
            return null;
        }
        if (grace && instance != null && s.instance(instance).isEmpty()) return References.RETRY;
        if (grace && spec.getBackend() != null && s.backend(spec.getBackend()).isEmpty()) return References.RETRY;
        String id = Ids.of(job);
        core.fleet().register(id, SpecMapper.request(spec));
        core.rememberUid(id, job.getMetadata().getUid());
        core.apply(new Event.JobSubmitted(new JobSpec(id, instance, spec.getBackend(), workload, SpecMapper.shots(spec),
                SpecMapper.ttl(spec.getMaxExecutionTime()), References.creation(job))));
        return null;
    }

    /** Labels that select a workload's jobs: {@code kubectl get qjob -l quantum.kubeqpu.io/session=vqe}. */
    static final String SESSION_LABEL = "quantum.kubeqpu.io/session";
    static final String BATCH_LABEL = "quantum.kubeqpu.io/batch";

    /** Adds the workload's label to a job that names it (the batch's own jobs are created with it). */
    private void label(QuantumJob job, String key, String value) {
        var labels = job.getMetadata().getLabels();
        if (labels != null && value.equals(labels.get(key))) return;
        try {
            core.client().resources(QuantumJob.class).inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                    .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                            "{\"metadata\":{\"labels\":{\"" + key + "\":\"" + value + "\"}}}");
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            // Only a convenience for selecting: the job runs without it.
            org.jboss.logging.Logger.getLogger(QuantumJobReconciler.class).debugf("label %s on %s not set: %s", key, Ids.of(job), e.getMessage());
        }
    }

    private void fail(QuantumJob job, String reason, String message) {
        QuantumJobStatus st = new QuantumJobStatus();
        st.setPhase(JobPhase.FAILED);
        st.setReason(reason);
        st.setMessage(message);
        st.setCompletedAt(core.clock().instant().toString());
        core.recorder().writeJobStatus(job, st);
    }

    private Duration until(Instant t) {
        Duration d = Duration.between(core.clock().instant(), t);
        return d.isNegative() ? Duration.ofMillis(1) : d.plusMillis(1);
    }

    @Override
    public DeleteControl cleanup(QuantumJob job, Context<QuantumJob> context) {
        String id = Ids.of(job);
        if (core.scheduler().job(id).isPresent()) core.apply(new Event.JobDeleted(id));
        core.fleet().forget(id);
        return DeleteControl.defaultDelete();
    }
}
