package io.kubeqpu.observe;

import io.kubeqpu.scheduler.BackendView;
import io.kubeqpu.scheduler.Decision;
import io.kubeqpu.scheduler.JobPhase;
import io.kubeqpu.scheduler.JobView;
import io.kubeqpu.scheduler.LeaseMode;
import io.kubeqpu.scheduler.Scheduler;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Turns the scheduler's decisions into intervals per backend: leases (session: exclusive, batch: shared), each
 * job's run with its mode, calibrations. Memory is bounded: each backend keeps its last {@code maxBarsPerBackend}
 * finished bars, plus whatever is still open (at most parallelism jobs, one lease, one calibration).
 *
 * <p>Fed by {@code OperatorCore.observe} on the decision thread, read by the dashboard's HTTP threads, hence the
 * lock; the work per decision is a map update, so the decision thread is not held up.
 */
public final class TimelineRecorder implements Consumer<List<Decision>> {
    public static final int DEFAULT_MAX_BARS_PER_BACKEND = 5_000;

    private final Supplier<Scheduler> scheduler;
    private final Clock clock;
    private final int maxBarsPerBackend;
    private final Map<String, Lane> lanes = new TreeMap<>();
    /** Which backend each open job bar is on: a JobPhaseChanged does not name it. */
    private final Map<String, String> runningOn = new LinkedHashMap<>();

    public TimelineRecorder(Supplier<Scheduler> scheduler, Clock clock, int maxBarsPerBackend) {
        if (maxBarsPerBackend < 1) throw new IllegalArgumentException("maxBarsPerBackend must be >= 1");
        this.scheduler = scheduler;
        this.clock = clock;
        this.maxBarsPerBackend = maxBarsPerBackend;
    }

    public TimelineRecorder(Supplier<Scheduler> scheduler, Clock clock) {
        this(scheduler, clock, DEFAULT_MAX_BARS_PER_BACKEND);
    }

    /** One backend's bars: finished ones oldest first (bounded), open ones by key. */
    private final class Lane {
        final Deque<Bar> done = new ArrayDeque<>();
        final Map<String, Bar> open = new LinkedHashMap<>();

        void close(String key, Instant at, String outcome) {
            Bar b = open.remove(key);
            if (b == null) return;
            done.addLast(b.closed(at, outcome));
            while (done.size() > maxBarsPerBackend) done.removeFirst();
        }

        List<Bar> bars() {
            List<Bar> all = new ArrayList<>(done);
            all.addAll(open.values());
            return all;
        }
    }

    @Override
    public synchronized void accept(List<Decision> decisions) {
        Scheduler s = scheduler.get();
        Instant now = clock.instant();
        for (Decision d : decisions) {
            if (d instanceof Decision.StartJob st) {
                JobView v = s.job(st.job()).orElse(null);
                BarKind kind = BarKind.jobIn(WorkMode.of(v, s));
                Instant start = v != null && v.startedAt() != null ? v.startedAt() : now;
                lane(st.backend()).open.put(jobKey(st.job()), new Bar(kind, st.job(), Labels.name(st.job()),
                        st.workload(), v == null ? null : v.instance(), start, null, null));
                runningOn.put(st.job(), st.backend());
            } else if (d instanceof Decision.JobPhaseChanged c && c.phase() != JobPhase.RUNNING) {
                // Terminal, or QUEUED again (a retry after a lost QPU): either way this run is over.
                String backend = runningOn.remove(c.job());
                if (backend == null) continue;
                Instant end = s.job(c.job()).map(JobView::completedAt).orElse(null);
                lane(backend).close(jobKey(c.job()), end == null ? now : end,
                        c.phase() == JobPhase.QUEUED ? "REQUEUED" : c.phase().name());
            } else if (d instanceof Decision.LeaseAcquired l) {
                BarKind kind = l.mode() == LeaseMode.EXCLUSIVE ? BarKind.SESSION_LEASE : BarKind.BATCH_LEASE;
                String instance = s.workload(l.workload()).map(w -> w.instance()).orElse(null);
                lane(l.backend()).open.put(leaseKey(l.workload()), new Bar(kind, l.workload(), Labels.name(l.workload()),
                        l.workload(), instance, l.at() == null ? now : l.at(), null, null));
            } else if (d instanceof Decision.LeaseReleased l) {
                String phase = s.workload(l.workload()).map(w -> w.phase().name()).orElse("RELEASED");
                lane(l.backend()).close(leaseKey(l.workload()), l.at() == null ? now : l.at(), phase);
            } else if (d instanceof Decision.StartCalibration c) {
                Instant start = s.backend(c.backend()).map(BackendView::lastCalibrationAt).orElse(now);
                lane(c.backend()).open.put(CALIBRATION_KEY, new Bar(BarKind.CALIBRATION, c.backend(), "calibration",
                        null, null, start == null ? now : start, null, null));
            } else if (d instanceof Decision.CalibrationFinished c) {
                lane(c.backend()).close(CALIBRATION_KEY, now, "DONE");
            } else if (d instanceof Decision.PrepareJob p) {
                lane(p.backend()); // a backend gets its lane as soon as work is headed for it
            }
        }
    }

    private static final String CALIBRATION_KEY = "calibration";

    private static String jobKey(String job) {
        return "job:" + job;
    }

    private static String leaseKey(String workload) {
        return "lease:" + workload;
    }

    private Lane lane(String backend) {
        return lanes.computeIfAbsent(backend, b -> new Lane());
    }

    /** The backends with a lane, in name order. */
    public synchronized List<String> backends() {
        return new ArrayList<>(lanes.keySet());
    }

    /** A copy of one backend's bars: finished ones oldest first, then open ones. */
    public synchronized List<Bar> bars(String backend) {
        Lane l = lanes.get(backend);
        return l == null ? List.of() : l.bars();
    }

    /**
     * Stretches of time between {@code from} and {@code to} when the QPU ran nothing: no job, no calibration. A
     * lease alone does not count as busy: that idle time under a lease is exactly what the dashboard should show.
     */
    public static List<Bar> idleGaps(List<Bar> bars, Instant from, Instant to) {
        List<Bar> busy = bars.stream().filter(b -> b.kind().occupiesQpu())
                .sorted(java.util.Comparator.comparing(Bar::start)).toList();
        List<Bar> gaps = new ArrayList<>();
        Instant cursor = from;
        for (Bar b : busy) {
            Instant end = b.end() == null ? to : b.end();
            if (b.start().isAfter(cursor)) gaps.add(idle(cursor, b.start().isBefore(to) ? b.start() : to));
            if (end.isAfter(cursor)) cursor = end;
            if (!cursor.isBefore(to)) break;
        }
        if (cursor.isBefore(to)) gaps.add(idle(cursor, to));
        gaps.removeIf(g -> !g.end().isAfter(g.start()));
        return gaps;
    }

    private static Bar idle(Instant from, Instant to) {
        return new Bar(null, null, "idle", null, null, from, to, null);
    }
}
