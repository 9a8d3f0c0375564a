package io.kubeqpu.scheduler;

import io.kubeqpu.scheduler.Decision.EventRejected;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the scheduler's parts share: its objects (backends, instances, workloads, jobs), its timers, the instant it is
 * at, the decisions of the event being handled, the backends to fill before it returns, and the parts themselves, so
 * each finds the others. It holds no rule: those live in the parts, each named for its rules (docs/scheduler.md,
 * "Where the rules live"). Only {@link Scheduler} creates it, and everything here runs under the facade's lock: nothing
 * is synchronized, nothing is reached from outside the facade.
 */
final class SchedulerState {
    final SchedulerConfig config;
    final FairShare fairShare;
    final Timers timers = new Timers();

    final Map<String, BackendState> backends = new TreeMap<>();
    final Map<String, InstanceState> instances = new TreeMap<>();
    final Map<String, WorkloadState> workloads = new HashMap<>();
    final Map<String, JobState> jobs = new HashMap<>();
    /** Workloads by the instance they name, so an instance's status never walks every workload. */
    final Map<String, Set<WorkloadState>> workloadsOf = new HashMap<>();
    /**
     * Jobs that failed without ever starting (refused, over a limit, their workload closed or gone), in the order they
     * failed: the dashboard lists the newest without walking every job. Kept by {@link #jobPhase}, left by a delete.
     */
    final java.util.LinkedHashSet<JobState> failedBeforeStart = new java.util.LinkedHashSet<>();
    /** Rejected sessions and batches, for the same list: kept by {@link #workloadPhase} and {@link #remember}, left by {@link #forget}. */
    final java.util.LinkedHashSet<WorkloadState> rejected = new java.util.LinkedHashSet<>();
    /** Backends to fill before the event's decisions are returned ({@link BackendLoop#settle}). */
    final TreeSet<String> dirty = new TreeSet<>();

    Instant now;
    long nextSeq;
    /** What {@link Scheduler#restore} had to leave out (malformed records): one bad object never stops the rest. */
    final List<String> loadProblems = new ArrayList<>();
    /** The decisions of the event being applied. */
    List<Decision> out = new ArrayList<>();
    /** Mean quantum seconds per finished job, for fair share's prediction of the queue. */
    final RunningMean meanJobSeconds = new RunningMean(1.0);

    final Deadlines deadlines = new Deadlines(this);
    final BackendLoop loop = new BackendLoop(this);
    final Leases leases = new Leases(this);
    final Calibration calibration = new Calibration(this);
    final JobLifecycle jobLifecycle = new JobLifecycle(this);
    final WorkloadLifecycle workloadLifecycle = new WorkloadLifecycle(this);
    final UsageLedger usage = new UsageLedger(this);

    /** A job's phase as it changes to a terminal one, with the index of failures before a start kept true. */
    void jobPhase(JobState j, JobPhase to) {
        j.setPhase(to);
        if (to == JobPhase.FAILED && j.startedAt == null) failedBeforeStart.add(j);
        else failedBeforeStart.remove(j);
    }

    SchedulerState(SchedulerConfig config, Instant now) {
        this.config = config;
        this.now = now;
        this.fairShare = new FairShare(config.fairShareHalfLife(), now);
    }

    /** Remembered workloads by kind and phase, kept as phases change: a metrics scrape reads them without a walk. */
    private final int[][] workloadCounts = new int[WorkloadKind.values().length][WorkloadPhase.values().length];

    /** Every phase change of a remembered workload goes through here (restore sets phases before it remembers). */
    void workloadPhase(WorkloadState w, WorkloadPhase to) {
        boolean counted = workloads.get(w.id()) == w;
        if (counted) workloadCounts[w.spec.kind().ordinal()][w.phase.ordinal()]--;
        w.phase = to;
        if (counted) workloadCounts[w.spec.kind().ordinal()][to.ordinal()]++;
        if (to == WorkloadPhase.REJECTED) rejected.add(w);
    }

    int workloadCount(WorkloadKind kind, WorkloadPhase phase) {
        return workloadCounts[kind.ordinal()][phase.ordinal()];
    }

    void remember(WorkloadState w) {
        WorkloadState old = workloads.get(w.id());
        if (old != null) forget(old);
        workloads.put(w.id(), w);
        workloadCounts[w.spec.kind().ordinal()][w.phase.ordinal()]++;
        if (w.phase == WorkloadPhase.REJECTED) rejected.add(w);
        if (w.spec.instance() != null) workloadsOf.computeIfAbsent(w.spec.instance(), k -> new HashSet<>()).add(w);
    }

    void forget(WorkloadState w) {
        if (workloads.remove(w.id(), w)) workloadCounts[w.spec.kind().ordinal()][w.phase.ordinal()]--;
        rejected.remove(w);
        Set<WorkloadState> of = w.spec.instance() == null ? null : workloadsOf.get(w.spec.instance());
        if (of != null && of.remove(w) && of.isEmpty()) workloadsOf.remove(w.spec.instance());
    }

    void reject(Event e, String reason, String message) {
        out.add(new EventRejected(e, reason, message));
    }

    /**
     * An id as its user wrote the name: without the operator's kind prefix and namespace ({@code session:ns/vqe} →
     * {@code vqe}), since messages are read on the object, in its namespace.
     */
    static String display(String id) {
        if (id == null) return null;
        String s = id.substring(id.indexOf(':') + 1);
        return s.substring(s.lastIndexOf('/') + 1);
    }

    static String kindOf(WorkloadState w) {
        return w.spec.kind().name().toLowerCase();
    }

    static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
