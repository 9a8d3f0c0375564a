package io.kubeqpu.local;

import io.kubeqpu.scheduler.Decision;
import io.kubeqpu.scheduler.JobPhase;
import io.kubeqpu.scheduler.JobView;
import io.kubeqpu.scheduler.Scheduler;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Prints the scheduler's decisions as a readable timeline: what ran when, and why. */
final class Timeline {
    private final PrintStream out;
    private final Instant t0;
    private final Scheduler scheduler;

    Timeline(PrintStream out, Instant t0, Scheduler scheduler) {
        this.out = out;
        this.t0 = t0;
        this.scheduler = scheduler;
    }

    synchronized void print(List<Decision> decisions) {
        for (Decision d : decisions) {
            String line = line(d);
            if (line != null) out.printf("%9s  %s%n", "+" + seconds(Instant.now()), line);
        }
    }

    private String line(Decision d) {
        if (d instanceof Decision.StartJob s) return "▶ start     " + plain(s.job()) + mode(s.workload()) + " on " + s.backend();
        if (d instanceof Decision.JobPhaseChanged c) {
            if (c.phase() == JobPhase.QUEUED && c.reason() == null) return "  queued    " + plain(c.job()) + position(c.job());
            if (c.phase() == JobPhase.COMPLETED) {
                JobView v = scheduler.job(c.job()).orElse(null);
                return "✔ completed " + plain(c.job()) + (v == null ? "" : String.format(" (%.2f quantum s)", v.quantumSeconds()));
            }
            if (c.phase().isTerminal()) return "✘ " + c.phase().name().toLowerCase() + "    " + plain(c.job()) + "  " + c.reason() + ": " + c.message();
            if (c.phase() == JobPhase.QUEUED) return "↺ requeued  " + plain(c.job()) + "  " + c.message();
            return null;
        }
        if (d instanceof Decision.LeaseAcquired l)
            return "🔒 lease     " + workload(l.workload()) + " takes " + l.backend() + " (" + l.mode().name().toLowerCase() + ")";
        if (d instanceof Decision.LeaseReleased l) return "🔓 lease     " + workload(l.workload()) + " releases " + l.backend();
        if (d instanceof Decision.WorkloadPhaseChanged w)
            return "◆ " + workload(w.workload()) + " is " + w.phase().name().toLowerCase()
                    + (w.reason() == null ? "" : "  " + w.reason() + (w.message() == null ? "" : ": " + w.message()));
        if (d instanceof Decision.StartCalibration c) return "⚙ calibrate " + c.backend() + " until +" + seconds(c.until());
        if (d instanceof Decision.CalibrationFinished c) return "⚙ calibrated " + c.backend();
        return null;
    }

    private String position(String job) {
        JobView v = scheduler.job(job).orElse(null);
        if (v == null || v.backend() == null) return "";
        int p = scheduler.queueSnapshot(v.backend()).position(v);
        return p == 0 ? "" : " (position " + p + " on " + v.backend() + ")";
    }

    private static String mode(String workload) {
        return workload == null ? " [job mode]" : " [" + workload(workload) + "]";
    }

    private static String workload(String id) {
        return id.replace(":", " ");
    }

    private static String plain(String id) {
        return id;
    }

    private String seconds(Instant t) {
        return String.format("%.3fs", Duration.between(t0, t).toNanos() / 1e9);
    }
}
