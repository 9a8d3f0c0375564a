package io.kubeqpu.scheduler;

import io.kubeqpu.scheduler.Decision.JobPhaseChanged;
import io.kubeqpu.scheduler.Decision.LeaseAcquired;
import io.kubeqpu.scheduler.Decision.LeaseReleased;
import io.kubeqpu.scheduler.Decision.StartCalibration;
import io.kubeqpu.scheduler.Decision.StartJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Watches a stream of decisions and records every broken invariant: exclusivity, no calibration inside a
 * session, one terminal phase per job, no job started more often than it was retried, no start after a
 * workload's max TTL, never more running jobs than slots; a batch takes a second slot only while no job-mode job
 * waits on its backend (so it never holds every slot while another's job waits), and jobs first start in arrival
 * order within an instance's normal queue and within a session (DESIGN §3.3, §3.11).
 */
final class InvariantChecker {
    final List<String> violations = new ArrayList<>();
    private final Map<String, Set<String>> running = new HashMap<>();
    private final Map<String, String> exclusiveHolder = new HashMap<>();
    private final Map<String, Instant> calibratingUntil = new HashMap<>();
    private final Map<String, Integer> terminals = new HashMap<>();
    private final Map<String, Integer> starts = new HashMap<>();
    private final Map<String, Integer> retries = new HashMap<>();
    private final Map<String, String> backendOf = new HashMap<>();
    private final Map<String, String> workloadOf = new HashMap<>();
    /** Backend → the batch holding its shared lease. */
    private final Map<String, String> batchHolder = new HashMap<>();
    /** Queued jobs (as the decisions say so far), with what the order rules need to know of them. */
    private final Map<String, JobView> queued = new HashMap<>();

    /** Arrival order as the scheduler keeps it: queue time (the CR's creation time), then first sight. */
    private static final java.util.Comparator<JobView> ARRIVAL =
            java.util.Comparator.comparing(JobView::queuedAt).thenComparingLong(JobView::arrival);

    /** A deleted job: its name may come back as a new job, with a life of its own. */
    void forget(String job) {
        starts.remove(job);
        retries.remove(job);
        terminals.remove(job);
        backendOf.remove(job);
        workloadOf.remove(job);
        queued.remove(job);
    }

    /** Names of deleted workloads: jobs of the old one still carry the name, so a walk cannot count a new one's. */
    private final Set<String> reusedWorkloadNames = new HashSet<>();

    void forgetWorkload(String id) {
        reusedWorkloadNames.add(id);
    }

    /** What the scheduler keeps as counters (a workload's jobs by phase) equals a walk over every job. */
    void checkKeptCounts(Scheduler s) {
        Map<String, int[]> walked = new HashMap<>();
        for (JobView j : s.jobs()) {
            if (j.workload() == null) continue;
            walked.computeIfAbsent(j.workload(), w -> new int[JobPhase.values().length])[j.phase().ordinal()]++;
        }
        for (WorkloadView w : s.workloads()) {
            if (reusedWorkloadNames.contains(w.id())) continue;
            int[] n = walked.getOrDefault(w.id(), new int[JobPhase.values().length]);
            var c = w.jobs();
            var expected = new WorkloadView.JobCounts(java.util.Arrays.stream(n).sum(), n[0], n[1], n[2], n[3], n[4]);
            if (!c.equals(expected)) violations.add("counts of " + w.id() + ": kept " + c + ", walked " + expected);
        }
        // The index of jobs that failed without starting (the dashboard's) holds exactly those a walk finds.
        java.util.Set<String> failedUnstarted = new java.util.TreeSet<>();
        for (JobView j : s.jobs()) if (j.phase() == JobPhase.FAILED && j.startedAt() == null) failedUnstarted.add(j.id());
        java.util.Set<String> indexed = new java.util.TreeSet<>();
        for (JobView j : s.failedBeforeStart(Integer.MAX_VALUE - 1)) indexed.add(j.id());
        if (!indexed.equals(failedUnstarted)) violations.add("failed before a start: indexed " + indexed + ", walked " + failedUnstarted);
        java.util.Set<String> rejected = new java.util.TreeSet<>(), rejectedIndexed = new java.util.TreeSet<>();
        for (WorkloadView w : s.workloads()) if (w.phase() == WorkloadPhase.REJECTED) rejected.add(w.id());
        for (WorkloadView w : s.rejectedWorkloads()) rejectedIndexed.add(w.id());
        if (!rejectedIndexed.equals(rejected)) violations.add("rejected workloads: indexed " + rejectedIndexed + ", walked " + rejected);
        Map<String, Integer> byPhase = new HashMap<>();
        for (WorkloadView w : s.workloads()) byPhase.merge(w.kind() + "/" + w.phase(), 1, Integer::sum);
        for (WorkloadKind kind : WorkloadKind.values())
            for (WorkloadPhase phase : WorkloadPhase.values()) {
                int walkedCount = byPhase.getOrDefault(kind + "/" + phase, 0), kept = s.workloadCount(kind, phase);
                if (walkedCount != kept) violations.add("workloads " + kind + "/" + phase + ": kept " + kept + ", walked " + walkedCount);
            }
    }

    void observe(Scheduler s, Instant now, List<Decision> ds) {
        for (Decision d : ds) {
            if (d instanceof StartJob st) onStart(s, now, st);
            else if (d instanceof JobPhaseChanged c) onPhase(s, c);
            else if (d instanceof LeaseAcquired l) {
                if (l.mode() == LeaseMode.EXCLUSIVE) exclusiveHolder.put(l.backend(), l.workload());
                else batchHolder.put(l.backend(), l.workload());
            } else if (d instanceof LeaseReleased l) {
                exclusiveHolder.remove(l.backend(), l.workload());
                batchHolder.remove(l.backend(), l.workload());
            } else if (d instanceof StartCalibration c) {
                if (exclusiveHolder.containsKey(c.backend()))
                    violations.add(now + ": calibration on " + c.backend() + " inside session " + exclusiveHolder.get(c.backend()));
                if (!running.getOrDefault(c.backend(), Set.of()).isEmpty())
                    violations.add(now + ": calibration on " + c.backend() + " while jobs run: " + running.get(c.backend()));
                calibratingUntil.put(c.backend(), c.until());
            } else if (d instanceof Decision.CalibrationFinished c) {
                calibratingUntil.remove(c.backend());
            }
        }
    }

    private void onStart(Scheduler s, Instant now, StartJob st) {
        int n = starts.merge(st.job(), 1, Integer::sum);
        if (n > 1 + retries.getOrDefault(st.job(), 0)) violations.add(now + ": " + st.job() + " started " + n + " times");
        Set<String> onBackend = running.computeIfAbsent(st.backend(), b -> new HashSet<>());
        String holder = exclusiveHolder.get(st.backend());
        if (holder != null && !holder.equals(st.workload()))
            violations.add(now + ": " + st.job() + " started on " + st.backend() + " inside session " + holder);
        if (holder != null && holder.equals(st.workload()))
            for (String other : onBackend)
                if (!holder.equals(workloadOf.get(other)))
                    violations.add(now + ": session " + holder + " job started while " + other + " still runs");
        if (calibratingUntil.containsKey(st.backend()))
            violations.add(now + ": " + st.job() + " started during calibration of " + st.backend());
        if (st.workload() != null) {
            WorkloadView w = s.workload(st.workload()).orElseThrow();
            if (w.maxTTLDeadline() != null && !now.isBefore(w.maxTTLDeadline()))
                violations.add(now + ": " + st.job() + " started after " + w.id() + "'s max TTL " + w.maxTTLDeadline());
        }
        String batch = batchHolder.get(st.backend());
        if (batch != null && batch.equals(st.workload()) && onBackend.stream().anyMatch(r -> batch.equals(workloadOf.get(r))))
            for (JobView q : queued.values())
                if (q.workload() == null && st.backend().equals(q.backend()))
                    violations.add(now + ": batch " + batch + " took a second slot on " + st.backend() + " for " + st.job()
                            + " while job " + q.id() + " waited");
        if (n == 1) checkArrivalOrder(s, now, st);
        BackendSpec spec = s.backendSpec(st.backend());
        int slots = spec == null ? 1 : spec.parallelism();
        onBackend.add(st.job());
        if (onBackend.size() > slots)
            violations.add(now + ": " + onBackend.size() + " jobs run on " + st.backend() + " with " + slots + " slots");
        backendOf.put(st.job(), st.backend());
        workloadOf.put(st.job(), st.workload());
    }

    /**
     * A first start: no job that arrived before it in the same order domain (the instance's normal queue on this
     * backend, or its session) still waits for its own first start. Retries are not first starts.
     */
    private void checkArrivalOrder(Scheduler s, Instant now, StartJob st) {
        JobView started = s.job(st.job()).orElse(null);
        if (started == null) return;
        boolean session = st.workload() != null
                && s.workload(st.workload()).map(w -> w.kind() == WorkloadKind.SESSION).orElse(false);
        if (st.workload() != null && !session) return; // a batch may reorder
        for (JobView q : queued.values()) {
            if (q.id().equals(st.job()) || starts.containsKey(q.id()) || ARRIVAL.compare(q, started) >= 0) continue;
            boolean sameDomain = session ? st.workload().equals(q.workload())
                    : q.workload() == null && st.backend().equals(q.backend()) && java.util.Objects.equals(started.instance(), q.instance());
            if (sameDomain)
                violations.add(now + ": " + st.job() + " (arrival " + started.arrival() + ") started before " + q.id()
                        + " (arrival " + q.arrival() + ") of the same " + (session ? "session" : "instance's normal queue"));
        }
    }

    private void onPhase(Scheduler s, JobPhaseChanged c) {
        if (c.phase() == JobPhase.QUEUED) s.job(c.job()).ifPresent(v -> queued.put(c.job(), v));
        else queued.remove(c.job());
        String backend = backendOf.get(c.job());
        if (c.phase() != JobPhase.RUNNING && backend != null) running.getOrDefault(backend, new HashSet<>()).remove(c.job());
        if (c.phase() == JobPhase.QUEUED && Reasons.BACKEND_UNAVAILABLE.equals(c.reason())) retries.merge(c.job(), 1, Integer::sum);
        if (c.phase().isTerminal() && terminals.merge(c.job(), 1, Integer::sum) > 1)
            violations.add(c.job() + " reached a terminal phase twice (" + c.phase() + ")");
    }

    /** After everything has run out: every submitted job is in exactly one terminal phase, no lease is left. */
    void checkEnd(Scheduler s) {
        for (JobView j : s.jobs()) {
            if (!j.phase().isTerminal()) violations.add("job " + j.id() + " never ended: " + j.phase());
        }
        for (WorkloadView w : s.workloads()) {
            if (w.phase().isTerminal() && w.leaseMode() != null) violations.add(w.id() + " holds a lease after " + w.phase());
            if (w.phase() == WorkloadPhase.ACTIVE) violations.add(w.id() + " still active at the end");
        }
    }
}
