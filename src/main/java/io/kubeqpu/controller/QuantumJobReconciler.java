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
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.scheduler.Event;
import io.kubeqpu.scheduler.JobSpec;
import io.kubeqpu.scheduler.JobView;
import io.kubeqpu.scheduler.Reasons;
import io.kubeqpu.scheduler.Scheduler;
import java.time.Duration;

/**
 * QuantumJob → the scheduler. Submits a job once (its creation time keeps its FIFO place), then keeps its status
 * fresh; its only timers are its own deadlines while it runs. A finalizer stops a running job on delete.
 */
// No periodic re-reconcile (JOSDK's default is every 10 h): a job's life is driven by the scheduler and its QPU, and
// JOSDK keeps each pending periodic task in a java.util.Timer until it is due, deleted job or not (ChurnBench: 5,000
// retained tasks per 5,000 jobs run and deleted).
@ControllerConfiguration(name = "quantumjob",
        maxReconciliationInterval = @io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval(interval = 0))
public class QuantumJobReconciler implements Reconciler<QuantumJob>, Cleaner<QuantumJob> {
    private final OperatorCore core;

    public QuantumJobReconciler(OperatorCore core) {
        this.core = core;
    }

    @Override
    public UpdateControl<QuantumJob> reconcile(QuantumJob job, Context<QuantumJob> context) {
        core.tick();
        String id = Ids.of(job);
        core.recorder().seen(StatusRecorder.Kind.JOB, id, job);
        Scheduler s = core.scheduler();
        JobView v = s.job(id).orElse(null);
        String unreadable = io.kubeqpu.api.v1alpha1.Unreadable.of(job);
        if (unreadable != null) {
            // A poison object (issue 15): never run with a field left out; the informer goes on for everyone else.
            String message = "the operator cannot read this job: " + unreadable + "; delete the job and apply it with a value in range";
            if (v == null) {
                if (job.getStatus() == null || job.getStatus().getPhase() != JobPhase.FAILED) fail(job, Reasons.INVALID_SPEC, message);
                return UpdateControl.noUpdate();
            }
            // Already submitted (the edit came later): it runs as it was submitted; the edit is reported, not applied.
            core.recorder().event(job, Reasons.INVALID_SPEC, message);
        }
        if (v == null) {
            if (job.getStatus() != null && job.getStatus().getPhase() == JobPhase.FAILED) return UpdateControl.noUpdate();
            Duration wait = submit(job, s);
            if (wait != null) return UpdateControl.<QuantumJob>noUpdate().rescheduleAfter(wait);
        } else {
            core.recorder().job(id);
        }
        // No reschedule at the job's own deadlines (max execution time, stop at a usage limit): the core's one timer
        // ticks the scheduler then. A JOSDK timer per job stayed queued for its 3 h deadline after the job finished and
        // was deleted (ChurnBench: +1 MiB of heap per 5,000 jobs run and deleted, 50,000 tasks after 10 waves).
        return UpdateControl.noUpdate();
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
        if (spec.getSessionRef() != null) label(job, SESSION_LABEL, DerivedNames.labelValue(spec.getSessionRef().getName()));
        else if (spec.getBatchRef() != null) label(job, BATCH_LABEL, DerivedNames.labelValue(spec.getBatchRef().getName()));
        java.util.List<String> defaults = spec.getInstance() != null || workload != null ? java.util.List.of()
                : References.defaults(core.client(), ns);
        String instance = spec.getInstance() != null ? Ids.of(ns, spec.getInstance())
                : workload != null || defaults.isEmpty() ? null : Ids.of(ns, defaults.get(0));
        String id = Ids.of(job);
        JobSpec jobSpec = new JobSpec(id, instance, spec.getBackend(), workload, SpecMapper.shots(spec),
                SpecMapper.ttl(spec.getMaxExecutionTime()), References.creation(job));
        if (defaults.size() > 1) {
            refuse(jobSpec, Reasons.AMBIGUOUS_DEFAULT_INSTANCE, References.ambiguousDefault(ns, defaults));
            return null;
        }
        if (workload == null && instance == null) {
            if (grace) return References.RETRY;
            fail(job, Reasons.UNKNOWN_INSTANCE, "the job names no instance and namespace " + ns + " has no default QuantumInstance");
            return null;
        }
        if (grace && instance != null && s.instance(instance).isEmpty()) return References.RETRY;
        if (grace && spec.getBackend() != null && s.backend(spec.getBackend()).isEmpty()) return References.RETRY;
        String backendName = spec.getBackend() != null ? spec.getBackend()
                : workload == null ? null : s.workload(workload).map(io.kubeqpu.scheduler.WorkloadView::backend).orElse(null);
        QuantumBackend backend = backendName == null ? null : core.backend(backendName);
        SubmissionLimits.Refusal refusal = backend == null ? null : core.limits().check(spec, backend);
        if (refusal != null) {
            refuse(jobSpec, refusal.reason(), refusal.message());
            return null;
        }
        core.fleet().register(id, job.getMetadata().getUid(), SpecMapper.request(spec));
        core.apply(new Event.JobSubmitted(jobSpec));
        return null;
    }

    /** Failed at submission, known to the scheduler (its batch or session counts it), never queued. */
    private void refuse(JobSpec spec, String reason, String message) {
        core.apply(new Event.JobRefused(spec, reason, message));
        core.recorder().job(spec.id());
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

    @Override
    public DeleteControl cleanup(QuantumJob job, Context<QuantumJob> context) {
        String id = Ids.of(job);
        if (core.scheduler().job(id).isPresent()) core.apply(new Event.JobDeleted(id));
        core.forgetJob(id);
        return DeleteControl.defaultDelete();
    }
}
