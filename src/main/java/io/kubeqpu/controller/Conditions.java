package io.kubeqpu.controller;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.kubeqpu.api.v1alpha1.ConditionTypes;
import io.kubeqpu.api.v1alpha1.JobCounts;
import io.kubeqpu.api.v1alpha1.QuantumBackendStatus;
import io.kubeqpu.api.v1alpha1.QuantumInstanceStatus;
import io.kubeqpu.api.v1alpha1.QuantumJobStatus;
import io.kubeqpu.api.v1alpha1.WorkloadPhase;
import io.kubeqpu.api.v1alpha1.WorkloadStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The conditions of each kind, derived from the status the writer is about to write (Kubernetes API conventions;
 * batch/v1 Job's and Kueue Workload's {@code Finished}). Pure; each condition keeps its {@code lastTransitionTime}
 * until its status changes. docs/api.md has the table.
 */
final class Conditions {
    static final String TRUE = "True";
    static final String FALSE = "False";
    /** Finished reasons (as batch/v1 Job's Complete/Failed and Kueue's Finished reasons). */
    static final String SUCCEEDED = "Succeeded";
    static final String FAILED = "Failed";
    static final String CANCELLED = "Cancelled";
    static final String REJECTED = "Rejected";

    private Conditions() {}

    /** One condition as it will be written, before its transition time is settled. */
    record Cond(String type, boolean status, String reason, String message) {}

    /**
     * The full list of conditions for {@code status}.
     *
     * @param previous the conditions last written (their transition times are kept)
     * @param ready    the writer's view of readiness for kinds whose status alone does not say (instances: false
     *                 when over the usage limit), with its reason and message
     */
    static List<Condition> of(Object status, List<Condition> previous, boolean ready, String reason, String message,
                              Long generation, Instant now) {
        List<Cond> cs;
        if (status instanceof QuantumJobStatus j) cs = job(j);
        else if (status instanceof WorkloadStatus w) cs = workload(w);
        else if (status instanceof QuantumBackendStatus b) cs = backend(b, reason);
        else if (status instanceof QuantumInstanceStatus) cs = instance(ready, reason, message);
        else cs = List.of(new Cond(ConditionTypes.READY, ready, reason == null ? (ready ? "Ready" : "NotReady") : reason, message));
        if (status instanceof QuantumJobStatus || status instanceof WorkloadStatus) cs = withReconciling(cs, status);
        return settle(cs, previous, generation, now);
    }

    /** Ready only when the job completed; Finished when it ended either way; Stalled when it failed. */
    static List<Cond> job(QuantumJobStatus s) {
        String phase = s.getPhase() == null ? "Pending" : StatusComposer.capitalized(s.getPhase().name());
        String msg = s.getMessage();
        List<Cond> out = new ArrayList<>();
        switch (phase) {
            case "Completed" -> {
                out.add(new Cond(ConditionTypes.READY, true, SUCCEEDED, "the job completed" + resultNote(s)));
                out.add(new Cond(ConditionTypes.FINISHED, true, SUCCEEDED, "the job completed" + resultNote(s)));
                out.add(new Cond(ConditionTypes.STALLED, false, SUCCEEDED, ""));
            }
            case "Failed" -> {
                String why = s.getReason() == null ? FAILED : s.getReason();
                out.add(new Cond(ConditionTypes.READY, false, why, msg));
                out.add(new Cond(ConditionTypes.FINISHED, true, FAILED, msg == null ? why : why + ": " + msg));
                out.add(new Cond(ConditionTypes.STALLED, true, why, msg));
            }
            case "Cancelled" -> {
                String why = s.getReason() == null ? CANCELLED : s.getReason();
                out.add(new Cond(ConditionTypes.READY, false, why, msg));
                out.add(new Cond(ConditionTypes.FINISHED, true, CANCELLED, msg == null ? why : why + ": " + msg));
                out.add(new Cond(ConditionTypes.STALLED, false, CANCELLED, ""));
            }
            default -> { // Pending, Queued, Running: work in progress
                String m = msg != null ? msg : "Queued".equals(phase) && s.getQueuePosition() != null
                        ? "position " + s.getQueuePosition() + " in the queue of " + s.getBackend()
                        : "Running".equals(phase) ? "running on " + s.getBackend() : "waiting for the scheduler";
                // A Pending job says what it waits for (WaitingForReference), the others their phase.
                String why = "Pending".equals(phase) && s.getReason() != null ? s.getReason() : phase;
                out.add(new Cond(ConditionTypes.READY, false, why, m));
                out.add(new Cond(ConditionTypes.FINISHED, false, why, m));
                out.add(new Cond(ConditionTypes.STALLED, false, why, ""));
            }
        }
        return out;
    }

    /**
     * Reconciling (kstatus' InProgress): a job until it finished; a batch until it finished; a session while it waits
     * for its backend (an open session is steady: it is Current while it waits for more jobs).
     */
    static List<Cond> withReconciling(List<Cond> cs, Object status) {
        Cond finished = cs.stream().filter(c -> c.type().equals(ConditionTypes.FINISHED)).findFirst().orElseThrow();
        boolean inProgress = !finished.status();
        if (status instanceof WorkloadStatus w && w.getPhase() != WorkloadPhase.PENDING && w.getPhase() != null
                && !(w.getJobs() != null && w.getJobs().getTotal() != null && w.getJobs().getTotal() > 0
                && (nz(w.getJobs().getQueued()) + nz(w.getJobs().getRunning())) > 0))
            inProgress = false;
        List<Cond> out = new ArrayList<>(cs);
        out.add(new Cond(ConditionTypes.RECONCILING, inProgress, inProgress ? finished.reason() : "Steady",
                inProgress ? finished.message() : ""));
        return out;
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }

    private static String resultNote(QuantumJobStatus s) {
        return s.getResultRef() == null ? "" : "; result in ConfigMap " + s.getResultRef().getName();
    }

    /**
     * Active while the workload holds (or may use) its backend; Finished once it ended, Succeeded when no job of it
     * failed; Ready while it is open and healthy or once it ended well; Stalled when it ended badly.
     */
    static List<Cond> workload(WorkloadStatus s) {
        WorkloadPhase p = s.getPhase() == null ? WorkloadPhase.PENDING : s.getPhase();
        String phase = StatusComposer.capitalized(p.name());
        JobCounts jobs = s.getJobs();
        int failed = jobs == null || jobs.getFailed() == null ? 0 : jobs.getFailed();
        int total = jobs == null || jobs.getTotal() == null ? 0 : jobs.getTotal();
        String msg = s.getMessage();
        String failedNote = failed + " of " + total + " jobs failed";
        List<Cond> out = new ArrayList<>();
        boolean active = p == WorkloadPhase.ACTIVE || p == WorkloadPhase.INACTIVE;
        String lease = s.getLease() == null ? "open" : "holds its " + s.getLease().getMode().name().toLowerCase() + " lease on " + s.getLease().getBackend();
        // Reactivated: a new job made an inactive session active again; the condition says so, not just "Active".
        boolean reactivated = p == WorkloadPhase.ACTIVE && io.kubeqpu.scheduler.Reasons.REACTIVATED.equals(s.getReason());
        out.add(new Cond(ConditionTypes.ACTIVE, active, reactivated ? s.getReason() : phase, active
                ? (reactivated && msg != null ? msg + "; " + lease : lease)
                : msg == null ? "" : msg));
        switch (p) {
            case PENDING -> {
                String m = msg == null ? "waiting for its backend" : msg;
                out.add(new Cond(ConditionTypes.READY, false, phase, m));
                out.add(new Cond(ConditionTypes.FINISHED, false, phase, m));
                out.add(new Cond(ConditionTypes.STALLED, false, phase, ""));
            }
            case ACTIVE, INACTIVE -> {
                boolean ok = failed == 0;
                out.add(new Cond(ConditionTypes.READY, ok, ok ? phase : "JobsFailed", ok ? phase.toLowerCase() : failedNote));
                out.add(new Cond(ConditionTypes.FINISHED, false, phase, ""));
                out.add(new Cond(ConditionTypes.STALLED, false, phase, ""));
            }
            case CLOSED, EXPIRED -> {
                // A session that reached its max TTL ended as planned; jobs that could not run failed on their own.
                String how = msg != null ? msg : p == WorkloadPhase.EXPIRED ? "expired" : "closed";
                if (failed == 0) {
                    out.add(new Cond(ConditionTypes.READY, true, SUCCEEDED, how));
                    out.add(new Cond(ConditionTypes.FINISHED, true, SUCCEEDED, how));
                    out.add(new Cond(ConditionTypes.STALLED, false, SUCCEEDED, ""));
                } else {
                    out.add(new Cond(ConditionTypes.READY, false, "JobsFailed", failedNote));
                    out.add(new Cond(ConditionTypes.FINISHED, true, FAILED, failedNote + "; " + how));
                    out.add(new Cond(ConditionTypes.STALLED, true, "JobsFailed", failedNote));
                }
            }
            case CANCELLED -> {
                String m = msg == null ? "cancelled" : msg;
                out.add(new Cond(ConditionTypes.READY, false, CANCELLED, m));
                out.add(new Cond(ConditionTypes.FINISHED, true, CANCELLED, m));
                out.add(new Cond(ConditionTypes.STALLED, false, CANCELLED, ""));
            }
            case REJECTED -> {
                String why = s.getReason() == null ? REJECTED : s.getReason();
                out.add(new Cond(ConditionTypes.READY, false, why, msg));
                out.add(new Cond(ConditionTypes.FINISHED, true, REJECTED, msg == null ? why : why + ": " + msg));
                out.add(new Cond(ConditionTypes.STALLED, true, why, msg));
            }
        }
        return out;
    }

    /** Available (the QPU takes jobs) and Calibrating; Ready = Available. */
    static List<Cond> backend(QuantumBackendStatus s, String reason) {
        boolean available = Boolean.TRUE.equals(s.getAvailable());
        String why = available ? "Available" : !Boolean.TRUE.equals(s.getSimulatorReady()) ? "SimulatorNotReady"
                : reason == null || "Available".equals(reason) ? "Unavailable" : reason;
        String m = available ? "the QPU takes jobs" : !Boolean.TRUE.equals(s.getSimulatorReady())
                ? "its simulator is not ready: no job starts" : "the QPU takes no jobs";
        boolean calibrating = Boolean.TRUE.equals(s.getCalibrating());
        List<Cond> out = new ArrayList<>();
        out.add(new Cond(ConditionTypes.READY, available, why, m));
        out.add(new Cond(ConditionTypes.AVAILABLE, available, why, m));
        out.add(new Cond(ConditionTypes.CALIBRATING, calibrating, calibrating ? "CalibrationRunning" : "Idle",
                calibrating ? "no job starts until the calibration ends" : s.getNextCalibrationAt() == null ? ""
                        : "next calibration at " + s.getNextCalibrationAt()));
        return out;
    }

    /**
     * UsageLimitExceeded while usage is at or over the limit (no new dispatch); Ready is its opposite, or False with
     * {@code reason} when the instance has another problem (two default instances in a namespace: AmbiguousDefault).
     */
    static List<Cond> instance(boolean withinLimit, String reason, String message) {
        String m = message == null ? "" : message;
        List<Cond> out = new ArrayList<>();
        if (DefaultInstances.REASON.equals(reason)) {
            out.add(new Cond(ConditionTypes.READY, false, reason, m));
            out.add(new Cond(ConditionTypes.USAGE_LIMIT_EXCEEDED, false, "WithinLimit", ""));
            return out;
        }
        out.add(new Cond(ConditionTypes.READY, withinLimit, withinLimit ? "WithinLimit" : ConditionTypes.USAGE_LIMIT_EXCEEDED, m));
        out.add(new Cond(ConditionTypes.USAGE_LIMIT_EXCEEDED, !withinLimit,
                withinLimit ? "WithinLimit" : ConditionTypes.USAGE_LIMIT_EXCEEDED, m));
        return out;
    }

    /** A reason the CRD's pattern accepts (CamelCase, as the API conventions ask): other characters are dropped. */
    static String reason(String r) {
        String clean = r == null ? "" : r.replaceAll("[^A-Za-z0-9_,:]", "");
        while (!clean.isEmpty() && !Character.isLetter(clean.charAt(0))) clean = clean.substring(1);
        while (clean.endsWith(",") || clean.endsWith(":")) clean = clean.substring(0, clean.length() - 1);
        if (clean.isEmpty()) return "Unknown";
        return clean.length() > 1024 ? clean.substring(0, 1024) : clean;
    }

    static String message(String m) {
        if (m == null) return "";
        return m.length() > 32768 ? m.substring(0, 32765) + "..." : m;
    }

    /** Stamps observedGeneration and keeps lastTransitionTime from {@code previous} where the status did not change. */
    static List<Condition> settle(List<Cond> cs, List<Condition> previous, Long generation, Instant now) {
        List<Condition> out = new ArrayList<>();
        for (Cond c : cs) {
            String s = c.status() ? TRUE : FALSE;
            String transition = now.toString();
            if (previous != null)
                for (Condition old : previous)
                    if (c.type().equals(old.getType()) && s.equals(old.getStatus()) && old.getLastTransitionTime() != null)
                        transition = old.getLastTransitionTime();
            out.add(new ConditionBuilder().withType(c.type()).withStatus(s).withReason(reason(c.reason()))
                    .withMessage(message(c.message())).withObservedGeneration(generation)
                    .withLastTransitionTime(transition).build());
        }
        return out;
    }
}
