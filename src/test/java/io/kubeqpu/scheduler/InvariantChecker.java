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
 * workload's max TTL, never more running jobs than slots.
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

    /** A deleted job: its name may come back as a new job, with a life of its own. */
    void forget(String job) {
        starts.remove(job);
        retries.remove(job);
        terminals.remove(job);
        backendOf.remove(job);
        workloadOf.remove(job);
    }

    void observe(Scheduler s, Instant now, List<Decision> ds) {
        for (Decision d : ds) {
            if (d instanceof StartJob st) onStart(s, now, st);
            else if (d instanceof JobPhaseChanged c) onPhase(c);
            else if (d instanceof LeaseAcquired l) {
                if (l.mode() == LeaseMode.EXCLUSIVE) exclusiveHolder.put(l.backend(), l.workload());
            } else if (d instanceof LeaseReleased l) {
                exclusiveHolder.remove(l.backend(), l.workload());
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
        BackendSpec spec = s.backendSpec(st.backend());
        int slots = spec == null ? 1 : spec.parallelism();
        onBackend.add(st.job());
        if (onBackend.size() > slots)
            violations.add(now + ": " + onBackend.size() + " jobs run on " + st.backend() + " with " + slots + " slots");
        backendOf.put(st.job(), st.backend());
        workloadOf.put(st.job(), st.workload());
    }

    private void onPhase(JobPhaseChanged c) {
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
