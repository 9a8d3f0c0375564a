package io.kubeqpu.controller;

import io.kubeqpu.api.v1alpha1.BackendLease;
import io.kubeqpu.api.v1alpha1.ExecutionMode;
import io.kubeqpu.api.v1alpha1.InstanceUsage;
import io.kubeqpu.api.v1alpha1.JobCounts;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.LeaseHolder;
import io.kubeqpu.api.v1alpha1.LeaseMode;
import io.kubeqpu.api.v1alpha1.LocalObjectRef;
import io.kubeqpu.api.v1alpha1.QuantumBackendStatus;
import io.kubeqpu.api.v1alpha1.QuantumInstanceStatus;
import io.kubeqpu.api.v1alpha1.QuantumJobStatus;
import io.kubeqpu.api.v1alpha1.Usage;
import io.kubeqpu.api.v1alpha1.WorkloadLease;
import io.kubeqpu.api.v1alpha1.WorkloadPhase;
import io.kubeqpu.api.v1alpha1.WorkloadStatus;
import io.kubeqpu.scheduler.BackendView;
import io.kubeqpu.scheduler.InstanceView;
import io.kubeqpu.scheduler.JobView;
import io.kubeqpu.scheduler.WorkloadView;
import java.time.Instant;

/** The scheduler's views → custom resources' statuses (without conditions and observedGeneration). Pure. */
final class StatusMapper {
    private StatusMapper() {}

    static QuantumJobStatus job(JobView v, Integer queuePosition, boolean hasResult) {
        QuantumJobStatus s = new QuantumJobStatus();
        s.setPhase(JobPhase.valueOf(v.phase().name()));
        s.setQueuePosition(v.phase() == io.kubeqpu.scheduler.JobPhase.QUEUED ? queuePosition : null);
        s.setBackend(v.backend());
        s.setInstance(v.instance() == null ? null : Ids.name(v.instance()));
        s.setMode(v.workload() == null ? ExecutionMode.JOB : Ids.isSession(v.workload()) ? ExecutionMode.SESSION : ExecutionMode.BATCH);
        s.setQueuedAt(str(v.queuedAt()));
        s.setStartedAt(str(v.startedAt()));
        s.setCompletedAt(v.phase().isTerminal() ? str(v.completedAt()) : null);
        if (v.phase().isTerminal() && v.startedAt() != null) s.setUsage(usage(v.quantumSeconds()));
        if (hasResult && v.phase() == io.kubeqpu.scheduler.JobPhase.COMPLETED) {
            LocalObjectRef ref = new LocalObjectRef();
            ref.setName(ResultStore.configMapName(Ids.name(v.id())));
            s.setResultRef(ref);
        }
        s.setAttempts(v.attempts() == 0 ? null : v.attempts());
        s.setArrival(v.arrival());
        s.setUsageLimitStopAt(v.phase() == io.kubeqpu.scheduler.JobPhase.RUNNING ? str(v.usageLimitDeadline()) : null);
        s.setReason(v.reason());
        s.setMessage(Messages.readable(v.message()));
        return s;
    }

    static WorkloadStatus workload(WorkloadView v) {
        WorkloadStatus s = new WorkloadStatus();
        s.setPhase(WorkloadPhase.valueOf(v.phase().name()));
        if (v.leaseMode() != null) {
            WorkloadLease lease = new WorkloadLease();
            lease.setBackend(v.backend());
            lease.setMode(LeaseMode.valueOf(v.leaseMode().name()));
            lease.setAcquiredAt(str(v.leaseAcquiredAt()));
            lease.setUsageFrom(str(v.usageFrom()));
            s.setLease(lease);
        }
        s.setStartedAt(str(v.startedAt()));
        s.setLastJobCompletedAt(str(v.lastJobCompletedAt()));
        s.setMaxTTLDeadline(str(v.maxTTLDeadline()));
        s.setInteractiveDeadline(str(v.interactiveDeadline()));
        JobCounts c = new JobCounts();
        c.setTotal(v.jobs().total());
        c.setQueued(v.jobs().queued());
        c.setRunning(v.jobs().running());
        c.setCompleted(v.jobs().completed());
        c.setFailed(v.jobs().failed());
        c.setCancelled(v.jobs().cancelled());
        s.setJobs(c);
        Usage u = usage(v.usageSeconds());
        if (v.kind() == io.kubeqpu.scheduler.WorkloadKind.SESSION) u.setClosedQuantumSeconds(round(v.closedUsageSeconds()));
        s.setUsage(u);
        s.setLeaseReleasedAt(str(v.leaseReleasedAt()));
        s.setReason(v.reason());
        s.setMessage(Messages.readable(v.message()));
        return s;
    }

    static QuantumBackendStatus backend(BackendView v, boolean deviceReady) {
        QuantumBackendStatus s = new QuantumBackendStatus();
        s.setAvailable(v.up() && deviceReady);
        s.setSimulatorReady(deviceReady);
        if (v.leaseHolder() != null) {
            BackendLease lease = new BackendLease();
            LeaseHolder h = new LeaseHolder();
            h.setKind(Ids.isSession(v.leaseHolder()) ? "QuantumSession" : "QuantumBatch");
            h.setNamespace(Ids.namespace(v.leaseHolder()));
            h.setName(Ids.name(v.leaseHolder()));
            lease.setHolder(h);
            lease.setMode(LeaseMode.valueOf(v.leaseMode().name()));
            s.setLease(lease);
        }
        s.setQueueLength(v.queueLength());
        s.setRunningJobs(v.runningJobs());
        s.setCalibrating(v.calibrating());
        s.setLastCalibrationAt(str(v.lastCalibrationAt()));
        s.setNextCalibrationAt(str(v.nextCalibrationAt()));
        s.setCalibratingUntil(v.calibrating() ? str(v.calibratingUntil()) : null);
        return s;
    }

    static QuantumInstanceStatus instance(InstanceView v, int activeWorkloads) {
        QuantumInstanceStatus s = new QuantumInstanceStatus();
        InstanceUsage u = new InstanceUsage();
        u.setQuantumSeconds(round(v.usageSeconds()));
        u.setPeriodStart(str(v.periodStart()));
        u.setClosedQuantumSeconds(round(v.closedUsageSeconds()));
        u.setRecentQuantumSeconds(round(v.recentUsageSeconds()));
        u.setRecentAsOf(str(v.asOf()));
        s.setUsage(u);
        s.setQueuedJobs(v.queuedJobs());
        s.setRunningJobs(v.runningJobs());
        s.setActiveWorkloads(activeWorkloads);
        return s;
    }

    static Usage usage(double seconds) {
        Usage u = new Usage();
        u.setQuantumSeconds(round(seconds));
        return u;
    }

    static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    static String str(Instant t) {
        return t == null ? null : t.toString();
    }

    static Instant instant(String s) {
        return s == null || s.isBlank() ? null : Instant.parse(s);
    }
}
