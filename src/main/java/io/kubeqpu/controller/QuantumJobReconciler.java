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
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.kubeqpu.api.v1alpha1.QuantumInstance;
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
                else core.closing().jobSettled(job);
                return UpdateControl.noUpdate();
            }
            // Already submitted (the edit came later): it runs as it was submitted; the edit is reported, not applied.
            core.recorder().event(job, Reasons.INVALID_SPEC, message);
        }
        if (v == null) {
            if (job.getStatus() != null && job.getStatus().getPhase() == JobPhase.FAILED) {
                core.closing().jobSettled(job); // failed before the scheduler took it: a close need not wait for it
                return UpdateControl.noUpdate();
            }
            Duration wait = submit(job, s);
            if (wait != null) return UpdateControl.<QuantumJob>noUpdate().rescheduleAfter(wait);
            core.closing().jobSettled(job);
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
        io.kubeqpu.api.v1alpha1.QuantumWorkloadSpec named = null;
        if (spec.getSessionRef() != null) {
            workload = Ids.session(ns, spec.getSessionRef().getName());
            var cr = sessions.get(new ResourceID(spec.getSessionRef().getName(), ns));
            named = cr.map(QuantumSession::getSpec).orElse(null);
            if (s.workload(workload).isEmpty() && (cr.isPresent() || grace))
                return waitFor(job, "QuantumSession " + spec.getSessionRef().getName(), cr.isPresent(), true);
        } else if (spec.getBatchRef() != null) {
            workload = Ids.batch(ns, spec.getBatchRef().getName());
            var cr = batches.get(new ResourceID(spec.getBatchRef().getName(), ns));
            named = cr.map(QuantumBatch::getSpec).orElse(null);
            if (s.workload(workload).isEmpty() && (cr.isPresent() || grace))
                return waitFor(job, "QuantumBatch " + spec.getBatchRef().getName(), cr.isPresent(), true);
        }
        // Its workload was closed and the close is not applied yet (it may wait for jobs created before it): a job
        // created since is new, and waits to be refused by the close rather than slip in ahead of it. A batch's own
        // inline jobs are part of it, not new: the close waits for them.
        if (named != null && Boolean.FALSE.equals(named.getAcceptingJobs()) && !inline(job)
                && s.workload(workload).map(io.kubeqpu.scheduler.WorkloadView::acceptingJobs).orElse(false)
                && core.closing().isAfterClose(workload, References.creation(job), core.clock().instant()))
            return References.RETRY;
        if (spec.getSessionRef() != null) label(job, SESSION_LABEL, DerivedNames.labelValue(spec.getSessionRef().getName()));
        else if (spec.getBatchRef() != null) label(job, BATCH_LABEL, DerivedNames.labelValue(spec.getBatchRef().getName()));
        java.util.List<String> defaults = spec.getInstance() != null || workload != null ? java.util.List.of()
                : References.defaults(instances.list(ns, i -> true));
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
            if (grace) return waitFor(job, "a QuantumInstance with default: true in namespace " + ns, false, true);
            fail(job, Reasons.UNKNOWN_INSTANCE, "the job names no instance and namespace " + ns + " has no default QuantumInstance");
            return null;
        }
        if (grace && instance != null && s.instance(instance).isEmpty()) {
            String name = spec.getInstance() != null ? spec.getInstance() : defaults.get(0);
            return waitFor(job, "QuantumInstance " + name, instances.get(new ResourceID(name, ns)).isPresent(), true);
        }
        if (grace && spec.getBackend() != null && s.backend(spec.getBackend()).isEmpty())
            return waitFor(job, "QuantumBackend " + spec.getBackend(), backends.get(new ResourceID(spec.getBackend())).isPresent(), true);
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

    /**
     * Waits for what the job names, within the grace after its creation. Past the first seconds (not the moment
     * between applying a session and its jobs) the job says so: Pending, what it waits for and until when, rather
     * than an empty status for 30 s.
     *
     * @param exists  the object exists and the operator is about to take it in: retried shortly
     * @param evented an informer event (the object created, or its first status written once the operator took it
     *                in) reconciles the job again, so the only timers are for the Pending note and the grace's end
     */
    private Duration waitFor(QuantumJob job, String what, boolean exists, boolean evented) {
        java.time.Instant created = java.time.Instant.parse(job.getMetadata().getCreationTimestamp());
        java.time.Instant now = core.clock().instant();
        boolean quiet = !now.isAfter(created.plus(References.QUIET));
        if (!quiet) {
            String message = "waiting for " + what + (exists ? " to be taken in by the operator" : " to exist")
                    + "; fails at " + created.plus(References.GRACE) + " if it does not";
            QuantumJobStatus shown = job.getStatus();
            if (shown == null || shown.getPhase() != JobPhase.PENDING || !message.equals(shown.getMessage())) {
                QuantumJobStatus st = new QuantumJobStatus();
                st.setPhase(JobPhase.PENDING);
                st.setReason(References.WAITING_FOR_REFERENCE);
                st.setMessage(message);
                core.recorder().writeJobStatus(job, st);
            }
        }
        if (exists || !evented) return References.RETRY;
        // Past the grace the next reconcile fails the job, naming what was missing.
        return later(Duration.between(now, created.plus(quiet ? References.QUIET : References.GRACE)));
    }

    private static Duration later(Duration d) {
        return d.compareTo(References.RETRY) < 0 ? References.RETRY : d.plus(References.RETRY);
    }

    // ------------------------------------------------------------------ what a waiting job waits for

    /**
     * Index of the jobs by what they name: "QuantumSession/ns/name", "QuantumInstance/ns/*" for the default one,
     * "QuantumBackend/name"…
     */
    static final String NAMES = "names";

    private InformerEventSource<QuantumSession, QuantumJob> sessions;
    private InformerEventSource<QuantumBatch, QuantumJob> batches;
    private InformerEventSource<QuantumInstance, QuantumJob> instances;
    private InformerEventSource<QuantumBackend, QuantumJob> backends;

    /**
     * Informers on what a job names, mapped to the jobs not yet submitted that name it: a job waiting for its session
     * is reconciled when the session appears or the operator takes it in (its first status), not every 250 ms with
     * a GET; lookups read these caches.
     */
    @Override
    public java.util.List<EventSource<?, QuantumJob>> prepareEventSources(EventSourceContext<QuantumJob> context) {
        IndexerResourceCache<QuantumJob> jobs = context.getPrimaryCache();
        jobs.addIndexer(NAMES, QuantumJobReconciler::names);
        // A session's or batch's close waiting for jobs created before it reads them here (by what they name).
        core.closing().jobs(jobs);
        sessions = new InformerEventSource<>(InformerEventSourceConfiguration.from(QuantumSession.class, QuantumJob.class)
                .withSecondaryToPrimaryMapper(o -> waiting(jobs, key(o, o.getMetadata().getName()))).build(), context);
        batches = new InformerEventSource<>(InformerEventSourceConfiguration.from(QuantumBatch.class, QuantumJob.class)
                .withSecondaryToPrimaryMapper(o -> waiting(jobs, key(o, o.getMetadata().getName()))).build(), context);
        instances = new InformerEventSource<>(InformerEventSourceConfiguration.from(QuantumInstance.class, QuantumJob.class)
                .withSecondaryToPrimaryMapper(o -> {
                    java.util.Set<ResourceID> ids = new java.util.HashSet<>(waiting(jobs, key(o, o.getMetadata().getName())));
                    if (Boolean.TRUE.equals(o.getSpec().getDefaultInstance())) ids.addAll(waiting(jobs, key(o, "*")));
                    return ids;
                }).build(), context);
        // Cluster-scoped: one informer on every namespace, whichever namespaces this controller watches.
        backends = new InformerEventSource<>(InformerEventSourceConfiguration.from(QuantumBackend.class, QuantumJob.class)
                .withWatchAllNamespaces().withFollowControllerNamespacesChanges(false)
                .withSecondaryToPrimaryMapper(o -> waiting(jobs, "QuantumBackend/" + o.getMetadata().getName())).build(), context);
        return java.util.List.of(sessions, batches, instances, backends);
    }

    static java.util.List<String> names(QuantumJob j) {
        QuantumJobSpec spec = j.getSpec();
        String ns = j.getMetadata().getNamespace();
        if (spec == null) return java.util.List.of();
        java.util.List<String> keys = new java.util.ArrayList<>(3);
        if (spec.getSessionRef() != null) keys.add("QuantumSession/" + ns + "/" + spec.getSessionRef().getName());
        if (spec.getBatchRef() != null) keys.add("QuantumBatch/" + ns + "/" + spec.getBatchRef().getName());
        if (spec.getInstance() != null) keys.add("QuantumInstance/" + ns + "/" + spec.getInstance());
        else if (spec.getSessionRef() == null && spec.getBatchRef() == null) keys.add("QuantumInstance/" + ns + "/*");
        if (spec.getBackend() != null) keys.add("QuantumBackend/" + spec.getBackend());
        return keys;
    }

    /** A job a batch created from its template (owned by it). */
    private static boolean inline(QuantumJob job) {
        var owners = job.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(o -> "QuantumBatch".equals(o.getKind()));
    }

    private static String key(io.fabric8.kubernetes.api.model.HasMetadata o, String name) {
        return o.getClass().getSimpleName() + "/" + o.getMetadata().getNamespace() + "/" + name;
    }

    /** The jobs naming {@code key} that the scheduler has not taken yet (no status, or Pending). */
    private static java.util.Set<ResourceID> waiting(IndexerResourceCache<QuantumJob> jobs, String key) {
        java.util.Set<ResourceID> ids = new java.util.HashSet<>();
        for (QuantumJob j : jobs.byIndex(NAMES, key))
            if (j.getStatus() == null || j.getStatus().getPhase() == null || j.getStatus().getPhase() == JobPhase.PENDING)
                ids.add(ResourceID.fromResource(j));
        return ids;
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
            ByName.of(core.client(), QuantumJob.class, job.getMetadata().getNamespace(), job.getMetadata().getName())
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
        core.closing().jobSettled(job);
        return DeleteControl.defaultDelete();
    }
}
