package io.kubeqpu.controller;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.kubeqpu.api.v1alpha1.LocalObjectRef;
import io.kubeqpu.api.v1alpha1.PrimitiveSpec;
import io.kubeqpu.api.v1alpha1.QuantumBatch;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.QuantumJobSpec;
import io.kubeqpu.api.v1alpha1.QuantumJobTemplate;
import io.kubeqpu.scheduler.Event;
import io.kubeqpu.scheduler.WorkloadKind;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * QuantumBatch → the scheduler. Creates one owned QuantumJob per inline template ({@code <batch>-<template>},
 * with {@code batchRef}); jobs that name the batch themselves join it too.
 */
@ControllerConfiguration(name = "quantumbatch")
public class QuantumBatchReconciler implements Reconciler<QuantumBatch>, Cleaner<QuantumBatch> {
    private final OperatorCore core;
    private final WorkloadReconciling workloads;
    private final WorkloadReferences<QuantumBatch> references = new WorkloadReferences<>();
    /** Batches whose template jobs all exist (so a reconcile does not GET them again). */
    private final Set<String> expanded = ConcurrentHashMap.newKeySet();
    /** Job names (namespace/name) a batch's template could not take: another job had it. Not waited for. */
    private final Set<String> conflicts = ConcurrentHashMap.newKeySet();

    public QuantumBatchReconciler(OperatorCore core) {
        this.core = core;
        this.workloads = new WorkloadReconciling(core, references);
    }

    @Override
    public UpdateControl<QuantumBatch> reconcile(QuantumBatch batch, Context<QuantumBatch> context) {
        String id = Ids.batch(batch.getMetadata().getNamespace(), batch.getMetadata().getName());
        Duration next = workloads.reconcile(batch, id, WorkloadKind.BATCH, batch.getSpec(), () -> templatesSubmitted(batch));
        var view = core.scheduler().workload(id);
        if (view.isPresent() && !view.get().phase().isTerminal() && batch.getSpec().getJobs() != null
                && !batch.getSpec().getJobs().isEmpty()) {
            // Scheduled as a whole: held out of the normal queue until every inline job is submitted (DESIGN §3.3).
            boolean assembled = templatesSubmitted(batch);
            core.apply(new Event.WorkloadHeld(id, !assembled));
            if (!expanded.contains(batch.getMetadata().getUid())) createJobs(batch);
            // Woken when one of its jobs is first given a status (submitted: see prepareEventSources); the timer is
            // only a fallback.
            if (!assembled) next = next == null || next.compareTo(ASSEMBLY_FALLBACK) > 0 ? ASSEMBLY_FALLBACK : next;
        }
        return next == null ? UpdateControl.noUpdate() : UpdateControl.<QuantumBatch>noUpdate().rescheduleAfter(next);
    }

    static final Duration ASSEMBLY_FALLBACK = Duration.ofSeconds(2);

    /** The batches' own jobs (its template jobs), as the informer below holds them: read instead of a GET each. */
    private io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource<QuantumJob, QuantumBatch> ownJobs;

    /**
     * The batch's own jobs (by owner reference), so that a batch being assembled is reconciled when one of them is
     * submitted (its first status) instead of every 250 ms; later status changes of its jobs do not wake it.
     */
    @Override
    public java.util.List<io.javaoperatorsdk.operator.processing.event.source.EventSource<?, QuantumBatch>> prepareEventSources(
            io.javaoperatorsdk.operator.api.reconciler.EventSourceContext<QuantumBatch> context) {
        var config = io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration
                .from(QuantumJob.class, QuantumBatch.class)
                .withSecondaryToPrimaryMapper(io.javaoperatorsdk.operator.processing.event.source.informer.Mappers
                        .<QuantumJob>fromOwnerReferences(QuantumBatch.class))
                .withLabelSelector(QuantumJobReconciler.BATCH_LABEL)
                .withOnUpdateFilter((now, before) -> submitted(before) != submitted(now))
                .build();
        ownJobs = new io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource<>(config, context);
        // And the instance or backend a new batch waits for (WorkloadReferences).
        var sources = new java.util.ArrayList<>(references.eventSources(QuantumBatch.class, context));
        sources.add(ownJobs);
        sources.add(core.closing().waker(QuantumBatch.class));
        return sources;
    }

    private static boolean submitted(QuantumJob j) {
        return j.getStatus() != null && j.getStatus().getPhase() != null
                && j.getStatus().getPhase() != io.kubeqpu.api.v1alpha1.JobPhase.PENDING;
    }

    private void createJobs(QuantumBatch batch) {
        var templates = batch.getSpec().getJobs();
        if (templates != null) {
            String ns = batch.getMetadata().getNamespace();
            var jobs = core.client().resources(QuantumJob.class).inNamespace(ns);
            for (QuantumJobTemplate t : templates) {
                String name = jobName(batch, t);
                // From the informer of its own jobs, not a GET each: a name another job holds answers the create 409.
                QuantumJob existing = ownJobs.get(new io.javaoperatorsdk.operator.processing.event.ResourceID(name, ns)).orElse(null);
                if (existing == null) {
                    try {
                        QuantumJob made = jobs.resource(jobFor(batch, t, name)).create();
                        // In the cache at once (JOSDK's temporary cache until its watch event): the next reconcile
                        // must not take the job it just made for one its user deleted.
                        ownJobs.handleRecentResourceCreate(io.javaoperatorsdk.operator.processing.event.ResourceID.fromResource(batch), made);
                        continue;
                    } catch (KubernetesClientException e) {
                        if (e.getCode() != 409) throw e;
                        existing = jobs.withName(name).get();
                    }
                }
                if (existing != null && !ownedBy(existing, batch)) {
                    // Never a silent drop: the name belongs to a job that is not this batch's.
                    String id = Ids.batch(ns, batch.getMetadata().getName());
                    conflicts.add(Ids.of(ns, name));
                    core.recorder().event(StatusRecorder.Kind.WORKLOAD, id, "JobNameConflict", "job template " + t.getName()
                            + " is not run: QuantumJob " + name + " already exists and does not belong to this batch; rename the template or that job", true);
                }
            }
        }
        expanded.add(batch.getMetadata().getUid());
    }

    /**
     * Every inline job is known to the scheduler, so closing the batch cannot refuse one of its own. An inline job its
     * user deleted after the batch created it counts as submitted (and gone): the rest must not wait for it forever.
     */
    private boolean templatesSubmitted(QuantumBatch batch) {
        var templates = batch.getSpec().getJobs();
        if (templates == null) return true;
        String ns = batch.getMetadata().getNamespace();
        // An inline job its user deleted after the batch created it counts as submitted (and gone): the rest must not
        // wait for it forever.
        boolean created = expanded.contains(batch.getMetadata().getUid());
        return templates.stream().allMatch(t -> {
            String name = jobName(batch, t);
            String id = Ids.of(ns, name);
            return conflicts.contains(id) || core.scheduler().job(id).isPresent()
                    || created && ownJobs.get(new io.javaoperatorsdk.operator.processing.event.ResourceID(name, ns)).isEmpty();
        });
    }

    /** {@code <batch>-<template>}, hash-shortened when longer than a name may be (a 253-character batch is valid). */
    static String jobName(QuantumBatch batch, QuantumJobTemplate t) {
        return DerivedNames.name(batch.getMetadata().getName(), "-" + t.getName());
    }

    private static boolean ownedBy(QuantumJob job, QuantumBatch batch) {
        return job.getMetadata().getOwnerReferences() != null && job.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> batch.getMetadata().getUid().equals(o.getUid()));
    }

    static QuantumJob jobFor(QuantumBatch batch, QuantumJobTemplate t, String name) {
        QuantumJob job = new QuantumJob();
        job.getMetadata().setName(name);
        job.getMetadata().setNamespace(batch.getMetadata().getNamespace());
        job.getMetadata().setLabels(java.util.Map.of(QuantumJobReconciler.BATCH_LABEL, DerivedNames.labelValue(batch.getMetadata().getName())));
        job.getMetadata().setOwnerReferences(java.util.List.of(new OwnerReferenceBuilder().withApiVersion(batch.getApiVersion())
                .withKind(batch.getKind()).withName(batch.getMetadata().getName()).withUid(batch.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build()));
        PrimitiveSpec p = t.getSpec();
        QuantumJobSpec spec = new QuantumJobSpec();
        spec.setPrimitive(p.getPrimitive());
        spec.setPubs(p.getPubs());
        spec.setShots(p.getShots());
        spec.setPrecision(p.getPrecision());
        spec.setSeed(p.getSeed());
        spec.setMaxExecutionTime(p.getMaxExecutionTime());
        LocalObjectRef ref = new LocalObjectRef();
        ref.setName(batch.getMetadata().getName());
        spec.setBatchRef(ref);
        job.setSpec(spec);
        return job;
    }

    @Override
    public DeleteControl cleanup(QuantumBatch batch, Context<QuantumBatch> context) {
        workloads.cancel(batch, Ids.batch(batch.getMetadata().getNamespace(), batch.getMetadata().getName()));
        expanded.remove(batch.getMetadata().getUid());
        return DeleteControl.defaultDelete();
    }
}
