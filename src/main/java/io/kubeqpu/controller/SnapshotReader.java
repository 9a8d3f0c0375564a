package io.kubeqpu.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
import io.kubeqpu.api.v1alpha1.QuantumBatch;
import io.kubeqpu.api.v1alpha1.QuantumInstance;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.QuantumJobSpec;
import io.kubeqpu.api.v1alpha1.QuantumSession;
import io.kubeqpu.api.v1alpha1.WorkloadStatus;
import io.kubeqpu.scheduler.JobPhase;
import io.kubeqpu.scheduler.JobSpec;
import io.kubeqpu.scheduler.LeaseMode;
import io.kubeqpu.scheduler.SchedulerSnapshot;
import io.kubeqpu.scheduler.SchedulerSnapshot.BackendRecord;
import io.kubeqpu.scheduler.SchedulerSnapshot.InstanceRecord;
import io.kubeqpu.scheduler.SchedulerSnapshot.JobRecord;
import io.kubeqpu.scheduler.SchedulerSnapshot.WorkloadRecord;
import io.kubeqpu.scheduler.WorkloadKind;
import io.kubeqpu.scheduler.WorkloadPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Reads the scheduler's state back from the custom resources' statuses, for a restarted operator. Objects
 * whose status was never written (not yet seen by the scheduler) are left out: their reconcile submits them.
 * Lists are paginated; an object that cannot be mapped is left out and named in {@link ClusterState#problems()},
 * and never stops the others.
 */
final class SnapshotReader {

    private SnapshotReader() {}

    /**
     * @param snapshot       the scheduler's state as the statuses tell it
     * @param backends       every QuantumBackend: their QPU devices are connected before any QPU is asked anything
     * @param unfinishedJobs jobs the statuses call Queued or Running, by scheduler id: the fleet learns their UIDs
     * @param problems       objects left out, each with why (reported on the object by the caller)
     */
    record ClusterState(SchedulerSnapshot snapshot, List<QuantumBackend> backends, Map<String, QuantumJob> unfinishedJobs,
                        List<Problem> problems) {}

    record Problem(HasMetadata object, String message) {}

    /**
     * The watched namespaces (KUBEQPU_WATCH_NAMESPACES, comma-separated; the chart sets it from watchNamespaces), whose
     * RBAC is a Role in each: the snapshot lists them one by one instead of across all namespaces.
     */
    static java.util.List<String> watchedNamespaces() {
        String env = System.getenv("KUBEQPU_WATCH_NAMESPACES");
        if (env == null || env.isBlank()) return java.util.List.of();
        return java.util.Arrays.stream(env.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
    }

    /** A namespaced kind, across the watched namespaces (or all), paginated. */
    private static <T extends HasMetadata> List<T> listNamespaced(KubernetesClient client, Class<T> type) {
        List<String> namespaces = watchedNamespaces();
        if (namespaces.isEmpty()) return Pages.all(client.resources(type).inAnyNamespace());
        List<T> out = new ArrayList<>();
        for (String ns : namespaces) out.addAll(Pages.all(client.resources(type).inNamespace(ns)));
        return out;
    }

    /**
     * @param ledger the operator's own record, already {@link Ledger#read() read}: where a status could grant something
     *               (usage, deadlines, leases) the two are merged so that a forged status grants nothing; null = none
     * @param now    the restore's time: an anchor a status puts in the future is taken as now
     */
    static ClusterState readCluster(KubernetesClient client, Ledger ledger, Instant now) {
        boolean ledgerExists = ledger != null && ledger.initialized();
        java.util.Set<String> ids = new java.util.HashSet<>();
        List<Problem> problems = new ArrayList<>();
        List<QuantumBackend> backendObjects = Pages.all(client.resources(QuantumBackend.class));
        List<BackendRecord> backends = new ArrayList<>();
        for (QuantumBackend b : backendObjects) {
            try {
                backends.add(backend(SpecMapper.backend(b), b.getStatus()));
            } catch (RuntimeException e) {
                problems.add(new Problem(b, "could not be restored: " + e.getMessage()));
            }
        }
        List<QuantumInstance> instanceObjects = listNamespaced(client, QuantumInstance.class);
        List<InstanceRecord> instances = new ArrayList<>();
        for (QuantumInstance i : instanceObjects) {
            try {
                var spec = SpecMapper.instance(i);
                ids.add(spec.name());
                InstanceRecord r = instance(spec, i.getStatus());
                instances.add(ledger == null ? r : Ledger.merge(r, ledger.instance(spec.name(), i.getMetadata().getUid()), now));
            } catch (RuntimeException e) {
                problems.add(new Problem(i, "could not be restored: " + e.getMessage()));
            }
        }
        List<JobRecord> jobs = new ArrayList<>();
        Map<String, QuantumJob> unfinished = new LinkedHashMap<>();
        List<QuantumJob> jobObjects = listNamespaced(client, QuantumJob.class);
        for (QuantumJob j : jobObjects) {
            try {
                ids.add(Ids.of(j));
                if (ledger != null) ledger.known(Ledger.Kind.JOB, Ids.of(j), j.getMetadata().getUid());
                JobRecord r = job(j);
                if (r == null) continue;
                if (ledger != null) r = Ledger.merge(r, ledger.job(r.spec().id(), j.getMetadata().getUid()), ledgerExists, now);
                jobs.add(r);
                if (!r.phase().isTerminal()) unfinished.put(r.spec().id(), j);
            } catch (RuntimeException e) {
                problems.add(new Problem(j, "could not be restored: " + e.getMessage()));
            }
        }
        java.util.Set<String> submitted = new java.util.HashSet<>();
        for (JobRecord r : jobs) submitted.add(r.spec().id());
        // Workloads that jobs not yet submitted name: a close applied meanwhile must not refuse them (see
        // WorkloadReconciling), so such a workload is restored accepting and closed again once they are in.
        java.util.Set<String> awaited = new java.util.HashSet<>();
        for (QuantumJob j : jobObjects)
            if (!submitted.contains(Ids.of(j)) && j.getSpec() != null) {
                String ns = j.getMetadata().getNamespace();
                if (j.getSpec().getSessionRef() != null) awaited.add(Ids.session(ns, j.getSpec().getSessionRef().getName()));
                if (j.getSpec().getBatchRef() != null) awaited.add(Ids.batch(ns, j.getSpec().getBatchRef().getName()));
            }
        List<WorkloadRecord> workloads = new ArrayList<>();
        for (QuantumSession s : listNamespaced(client, QuantumSession.class)) {
            try {
                int before = workloads.size();
                String id = Ids.session(s.getMetadata().getNamespace(), s.getMetadata().getName());
                ids.add(id);
                addWorkload(workloads, id, WorkloadKind.SESSION,
                        s.getSpec(), s.getStatus(), defaultInstance(instanceObjects, s.getMetadata().getNamespace(), s.getSpec().getInstance()));
                checkWithLedger(workloads, before, ledger, ledgerExists, id, s.getMetadata().getUid(), now);
                if (workloads.size() > before && awaited.contains(id)) reopen(workloads);
            } catch (RuntimeException e) {
                problems.add(new Problem(s, "could not be restored: " + e.getMessage()));
            }
        }
        for (QuantumBatch b : listNamespaced(client, QuantumBatch.class)) {
            try {
                int before = workloads.size();
                String id = Ids.batch(b.getMetadata().getNamespace(), b.getMetadata().getName());
                ids.add(id);
                addWorkload(workloads, id, WorkloadKind.BATCH,
                        b.getSpec(), b.getStatus(), defaultInstance(instanceObjects, b.getMetadata().getNamespace(), b.getSpec().getInstance()));
                checkWithLedger(workloads, before, ledger, ledgerExists, id, b.getMetadata().getUid(), now);
                // A batch applied closed still runs its own inline jobs: until all of them are submitted it must accept
                // them (its reconciler closes it then), or the rest would be refused WorkloadClosed after a restart.
                if (workloads.size() > before && (!templatesSubmitted(b, submitted)
                        || awaited.contains(Ids.batch(b.getMetadata().getNamespace(), b.getMetadata().getName())))) reopen(workloads);
            } catch (RuntimeException e) {
                problems.add(new Problem(b, "could not be restored: " + e.getMessage()));
            }
        }
        // Entries of objects deleted while the operator was down go; nothing else may claim them.
        if (ledger != null) ledger.keepOnly(ids);
        return new ClusterState(new SchedulerSnapshot(backends, instances, workloads, jobs), backendObjects, unfinished, problems);
    }

    /** The workload record just added (if one was), merged with its ledger entry. */
    private static void checkWithLedger(List<WorkloadRecord> workloads, int before, Ledger ledger, boolean ledgerExists, String id,
                                        String uid, Instant now) {
        if (ledger == null) return;
        Ledger.WorkloadEntry e = ledger.workload(id, uid);
        if (workloads.size() == before) return;
        workloads.set(workloads.size() - 1, Ledger.merge(workloads.get(workloads.size() - 1), e, ledgerExists, now));
    }

    /** The last record added, accepting jobs (still open in the scheduler: its reconciler closes it again). */
    private static void reopen(List<WorkloadRecord> workloads) {
        WorkloadRecord r = workloads.remove(workloads.size() - 1);
        var ws = r.spec();
        if (r.phase().isTerminal()) {
            workloads.add(r);
            return;
        }
        workloads.add(new WorkloadRecord(new io.kubeqpu.scheduler.WorkloadSpec(ws.id(), ws.kind(), ws.instance(), ws.backend(),
                ws.maxTTL(), ws.interactiveTTL(), true), r.phase(), r.reason(), r.message(), r.leaseMode(), r.leaseAcquiredAt(),
                r.leaseReleasedAt(), r.startedAt(), r.lastJobCompletedAt(), r.usageSeconds(), r.usageFrom()));
    }

    private static boolean templatesSubmitted(QuantumBatch b, java.util.Set<String> submitted) {
        if (b.getSpec().getJobs() == null) return true;
        String ns = b.getMetadata().getNamespace();
        return b.getSpec().getJobs().stream()
                .allMatch(t -> submitted.contains(Ids.of(ns, QuantumBatchReconciler.jobName(b, t))));
    }

    // ------------------------------------------------------------------ status → record (StatusMapper's inverse)

    static BackendRecord backend(io.kubeqpu.scheduler.BackendSpec spec, io.kubeqpu.api.v1alpha1.QuantumBackendStatus st) {
        return new BackendRecord(spec, true,
                st == null ? null : StatusMapper.instant(st.getNextCalibrationAt()),
                st == null || !Boolean.TRUE.equals(st.getCalibrating()) ? null : StatusMapper.instant(st.getCalibratingUntil()),
                st == null ? null : StatusMapper.instant(st.getLastCalibrationAt()));
    }

    static InstanceRecord instance(io.kubeqpu.scheduler.InstanceSpec spec, io.kubeqpu.api.v1alpha1.QuantumInstanceStatus status) {
        var u = status == null ? null : status.getUsage();
        // The closed part: active sessions' open lease intervals are charged again from their leases.
        Double closed = u == null ? null : u.getClosedQuantumSeconds() != null ? u.getClosedQuantumSeconds() : u.getQuantumSeconds();
        return new InstanceRecord(spec, closed == null ? 0 : closed,
                u == null ? null : StatusMapper.instant(u.getPeriodStart()),
                u == null || u.getRecentQuantumSeconds() == null ? 0 : u.getRecentQuantumSeconds(),
                u == null ? null : StatusMapper.instant(u.getRecentAsOf()));
    }

    private static JobRecord job(QuantumJob j) {
        var st = j.getStatus();
        if (st == null || st.getPhase() == null || st.getPhase() == io.kubeqpu.api.v1alpha1.JobPhase.PENDING) return null;
        String ns = j.getMetadata().getNamespace();
        QuantumJobSpec spec = j.getSpec();
        String workload = spec.getSessionRef() != null ? Ids.session(ns, spec.getSessionRef().getName())
                : spec.getBatchRef() != null ? Ids.batch(ns, spec.getBatchRef().getName()) : null;
        return job(Ids.of(j), st.getInstance() == null ? null : Ids.of(ns, st.getInstance()), workload,
                Math.max(1, SpecMapper.shots(spec)), SpecMapper.ttl(spec.getMaxExecutionTime()), st);
    }

    /** @param instance the instance's scheduler id (the status names it without its namespace) */
    static JobRecord job(String id, String instance, String workload, long shots, java.time.Duration maxExecutionTime,
                         io.kubeqpu.api.v1alpha1.QuantumJobStatus st) {
        JobSpec js = new JobSpec(id, instance, st.getBackend(), workload, shots, maxExecutionTime, StatusMapper.instant(st.getQueuedAt()));
        return new JobRecord(js, JobPhase.valueOf(st.getPhase().name()), st.getReason(), st.getMessage(),
                StatusMapper.instant(st.getStartedAt()), StatusMapper.instant(st.getCompletedAt()),
                st.getUsage() == null || st.getUsage().getQuantumSeconds() == null ? 0 : st.getUsage().getQuantumSeconds(),
                st.getAttempts() == null ? 0 : st.getAttempts(), StatusMapper.instant(st.getUsageLimitStopAt()), st.getArrival());
    }

    /** The instance a workload uses: the one it names, else its namespace's default, from the list already read. */
    private static String defaultInstance(List<QuantumInstance> instances, String namespace, String named) {
        if (named != null) return Ids.of(namespace, named);
        for (QuantumInstance i : instances)
            if (namespace.equals(i.getMetadata().getNamespace()) && i.getSpec() != null
                    && Boolean.TRUE.equals(i.getSpec().getDefaultInstance())) return Ids.of(i);
        return null;
    }

    private static void addWorkload(List<WorkloadRecord> out, String id, WorkloadKind kind, io.kubeqpu.api.v1alpha1.QuantumWorkloadSpec spec,
                                    WorkloadStatus st, String instance) {
        if (st == null || st.getPhase() == null) return;
        out.add(workload(SpecMapper.workload(id, kind, instance, spec), st));
    }

    static WorkloadRecord workload(io.kubeqpu.scheduler.WorkloadSpec ws, WorkloadStatus st) {
        LeaseMode mode = st.getLease() == null || st.getLease().getMode() == null ? null : LeaseMode.valueOf(st.getLease().getMode().name());
        Instant acquired = st.getLease() == null ? null : StatusMapper.instant(st.getLease().getAcquiredAt());
        var u = st.getUsage();
        // A session's open lease interval is charged again from lease.acquiredAt when it ends: restore the closed part.
        Double closed = u == null ? null : u.getClosedQuantumSeconds() != null ? u.getClosedQuantumSeconds() : u.getQuantumSeconds();
        return new WorkloadRecord(ws, WorkloadPhase.valueOf(st.getPhase().name()), st.getReason(), st.getMessage(), mode, acquired,
                StatusMapper.instant(st.getLeaseReleasedAt()), StatusMapper.instant(st.getStartedAt()),
                StatusMapper.instant(st.getLastJobCompletedAt()), closed == null ? 0 : closed,
                // Absent while other instances' jobs drain: usage starts when the restored scheduler sees the drain.
                st.getLease() == null ? null : StatusMapper.instant(st.getLease().getUsageFrom()));
    }

}
