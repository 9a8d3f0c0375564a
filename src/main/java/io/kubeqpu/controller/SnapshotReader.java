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
import java.util.List;

/**
 * Reads the scheduler's state back from the custom resources' statuses, for a restarted operator. Objects
 * whose status was never written (not yet seen by the scheduler) are left out: their reconcile submits them.
 */
final class SnapshotReader {
    private SnapshotReader() {}

    /**
     * The watched namespaces (KUBEQPU_WATCH_NAMESPACES, comma-separated; the chart sets it from watchNamespaces), whose
     * RBAC is a Role in each: the snapshot lists them one by one instead of across all namespaces.
     */
    static java.util.List<String> watchedNamespaces() {
        String env = System.getenv("KUBEQPU_WATCH_NAMESPACES");
        if (env == null || env.isBlank()) return java.util.List.of();
        return java.util.Arrays.stream(env.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> List<T> list(KubernetesClient client, Class<T> type) {
        java.util.List<String> namespaces = watchedNamespaces();
        if (namespaces.isEmpty()) return client.resources(type).inAnyNamespace().list().getItems();
        List<T> out = new ArrayList<>();
        for (String ns : namespaces) out.addAll(client.resources(type).inNamespace(ns).list().getItems());
        return out;
    }

    static SchedulerSnapshot read(KubernetesClient client) {
        List<BackendRecord> backends = new ArrayList<>();
        for (QuantumBackend b : client.resources(QuantumBackend.class).list().getItems()) {
            var st = b.getStatus();
            backends.add(new BackendRecord(SpecMapper.backend(b), true,
                    st == null ? null : StatusMapper.instant(st.getNextCalibrationAt()),
                    null, st == null ? null : StatusMapper.instant(st.getLastCalibrationAt())));
        }
        List<InstanceRecord> instances = new ArrayList<>();
        for (QuantumInstance i : list(client, QuantumInstance.class)) {
            var u = i.getStatus() == null ? null : i.getStatus().getUsage();
            double used = u == null || u.getQuantumSeconds() == null ? 0 : u.getQuantumSeconds();
            instances.add(new InstanceRecord(SpecMapper.instance(i), used, u == null ? null : StatusMapper.instant(u.getPeriodStart()), 0));
        }
        List<WorkloadRecord> workloads = new ArrayList<>();
        for (QuantumSession s : list(client, QuantumSession.class))
            addWorkload(workloads, Ids.session(s.getMetadata().getNamespace(), s.getMetadata().getName()), WorkloadKind.SESSION,
                    s.getSpec(), s.getStatus(), References.instance(client, s.getMetadata().getNamespace(), s.getSpec().getInstance()));
        for (QuantumBatch b : list(client, QuantumBatch.class))
            addWorkload(workloads, Ids.batch(b.getMetadata().getNamespace(), b.getMetadata().getName()), WorkloadKind.BATCH,
                    b.getSpec(), b.getStatus(), References.instance(client, b.getMetadata().getNamespace(), b.getSpec().getInstance()));
        List<JobRecord> jobs = new ArrayList<>();
        for (QuantumJob j : list(client, QuantumJob.class)) {
            var st = j.getStatus();
            if (st == null || st.getPhase() == null || st.getPhase() == io.kubeqpu.api.v1alpha1.JobPhase.PENDING) continue;
            String ns = j.getMetadata().getNamespace();
            QuantumJobSpec spec = j.getSpec();
            String workload = spec.getSessionRef() != null ? Ids.session(ns, spec.getSessionRef().getName())
                    : spec.getBatchRef() != null ? Ids.batch(ns, spec.getBatchRef().getName()) : null;
            JobSpec js = new JobSpec(Ids.of(j), st.getInstance() == null ? null : Ids.of(ns, st.getInstance()), st.getBackend(),
                    workload, Math.max(1, SpecMapper.shots(spec)), SpecMapper.ttl(spec.getMaxExecutionTime()),
                    StatusMapper.instant(st.getQueuedAt()));
            jobs.add(new JobRecord(js, JobPhase.valueOf(st.getPhase().name()), st.getReason(), st.getMessage(),
                    StatusMapper.instant(st.getStartedAt()), StatusMapper.instant(st.getCompletedAt()),
                    st.getUsage() == null || st.getUsage().getQuantumSeconds() == null ? 0 : st.getUsage().getQuantumSeconds(),
                    st.getAttempts() == null ? 0 : st.getAttempts(), null));
        }
        return new SchedulerSnapshot(backends, instances, workloads, jobs);
    }

    private static void addWorkload(List<WorkloadRecord> out, String id, WorkloadKind kind, io.kubeqpu.api.v1alpha1.WorkloadSpec spec,
                                    WorkloadStatus st, String instance) {
        if (st == null || st.getPhase() == null) return;
        var ws = SpecMapper.workload(id, kind, instance, spec);
        LeaseMode mode = st.getLease() == null || st.getLease().getMode() == null ? null : LeaseMode.valueOf(st.getLease().getMode().name());
        Instant acquired = st.getLease() == null ? null : StatusMapper.instant(st.getLease().getAcquiredAt());
        out.add(new WorkloadRecord(ws, WorkloadPhase.valueOf(st.getPhase().name()), st.getReason(), st.getMessage(), mode, acquired,
                null, StatusMapper.instant(st.getStartedAt()), StatusMapper.instant(st.getLastJobCompletedAt()),
                st.getUsage() == null || st.getUsage().getQuantumSeconds() == null ? 0 : st.getUsage().getQuantumSeconds()));
    }

}
