package io.kubeqpu.scheduler;

import io.kubeqpu.scheduler.Decision.EventRejected;
import io.kubeqpu.scheduler.Decision.JobPhaseChanged;
import io.kubeqpu.scheduler.Decision.LeaseAcquired;
import io.kubeqpu.scheduler.Decision.LeaseReleased;
import io.kubeqpu.scheduler.Decision.PrepareJob;
import io.kubeqpu.scheduler.Decision.StartCalibration;
import io.kubeqpu.scheduler.Decision.StartJob;
import io.kubeqpu.scheduler.Decision.StopJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * A scheduler on a virtual clock with a fake QPU: prepares take {@link #prepTime} (zero unless a test says), a job runs for the duration
 * given by {@link #durations} and then reports its finish. It keeps a timeline of what ran when, so tests read
 * like the scenario they check.
 */
public final class SchedulerHarness {
    public final VirtualClock clock = new VirtualClock();
    public Scheduler scheduler;
    public Duration prepTime = Duration.ZERO;
    /** Per-job preparation time; {@link #prepTime} for every job unless a test says otherwise. */
    public Function<String, Duration> prepTimes = id -> prepTime;
    public Function<String, Duration> durations = id -> Duration.ofSeconds(10);
    public final List<Decision> decisions = new ArrayList<>();
    public final List<Run> runs = new ArrayList<>();
    public final List<Interval> calibrations = new ArrayList<>();
    public final List<Interval> leases = new ArrayList<>();
    /** Every StartJob decision, to check nothing starts twice. */
    public final Map<String, Integer> starts = new HashMap<>();
    /** Sees every batch of decisions with the instant they were made. */
    public java.util.function.BiConsumer<Instant, List<Decision>> listener = (t, ds) -> { };

    public record Run(String job, String backend, Instant start, Instant end, String workload) {}

    public record Interval(String owner, String backend, Instant start, Instant end, LeaseMode mode) {}

    private record Pending(Instant at, long seq, Event event) {}

    private final PriorityQueue<Pending> pending =
            new PriorityQueue<>(Comparator.comparing(Pending::at).thenComparingLong(Pending::seq));
    private long seq;
    private final Map<String, Pending> finishes = new HashMap<>();
    private final Map<String, Run> open = new HashMap<>();
    private final Map<String, Interval> openLeases = new HashMap<>();
    private final Map<String, Interval> openCalibrations = new HashMap<>();

    public SchedulerHarness() {
        this(SchedulerConfig.defaults());
    }

    public SchedulerHarness(SchedulerConfig config) {
        scheduler = new Scheduler(clock, config);
    }

    public Instant t0() {
        return Instant.parse("2026-01-01T00:00:00Z");
    }

    public Instant at(Duration sinceStart) {
        return t0().plus(sinceStart);
    }

    public List<Decision> apply(Event e) {
        List<Decision> ds = scheduler.apply(e);
        listener.accept(clock.instant(), ds);
        react(ds);
        return ds;
    }

    public SchedulerHarness backend(BackendSpec spec) {
        apply(new Event.BackendConfigured(spec));
        return this;
    }

    public SchedulerHarness instance(InstanceSpec spec) {
        apply(new Event.InstanceConfigured(spec));
        return this;
    }

    public List<Decision> submit(JobSpec spec) {
        return apply(new Event.JobSubmitted(spec));
    }

    public List<Decision> workload(WorkloadSpec spec) {
        return apply(new Event.WorkloadCreated(spec));
    }

    /** Runs the fake QPU and the scheduler's timers until {@code end}; the clock ends at {@code end}. */
    public void runUntil(Instant end) {
        while (true) {
            Instant next = nextEventTime();
            if (next == null || next.isAfter(end)) break;
            if (next.isAfter(clock.instant())) clock.set(next);
            Pending p = pending.peek();
            if (p != null && !p.at().isAfter(clock.instant())) {
                pending.poll();
                apply(p.event());
            } else {
                apply(new Event.Tick());
            }
        }
        if (end.isAfter(clock.instant())) clock.set(end);
        apply(new Event.Tick());
    }

    public void runFor(Duration d) {
        runUntil(clock.instant().plus(d));
    }

    /** Runs until nothing is pending and no deadline is left (bounded, so a bug cannot loop forever). */
    public void runToEnd() {
        runUntil(clock.instant().plus(Duration.ofDays(2)));
    }

    private Instant nextEventTime() {
        Instant a = pending.isEmpty() ? null : pending.peek().at();
        Instant b = scheduler.nextDeadline().orElse(null);
        if (a == null) return b;
        if (b == null) return a;
        return a.isBefore(b) ? a : b;
    }

    private void react(List<Decision> ds) {
        Instant now = clock.instant();
        for (Decision d : ds) {
            decisions.add(d);
            if (d instanceof PrepareJob p) {
                schedule(now.plus(prepTimes.apply(p.job())), new Event.JobPrepared(p.job()));
            } else if (d instanceof StartJob s) {
                starts.merge(s.job(), 1, Integer::sum);
                Duration run = durations.apply(s.job());
                Pending fin = schedule(now.plus(run), new Event.JobFinished(s.job(), Durations.seconds(run)));
                finishes.put(s.job(), fin);
                open.put(s.job(), new Run(s.job(), s.backend(), now, null, s.workload()));
            } else if (d instanceof StopJob s) {
                Pending fin = finishes.remove(s.job());
                if (fin != null) pending.remove(fin);
            } else if (d instanceof JobPhaseChanged c && c.phase() != JobPhase.RUNNING) {
                Run r = open.remove(c.job());
                if (r != null) {
                    runs.add(new Run(r.job(), r.backend(), r.start(), now, r.workload()));
                    Pending fin = finishes.remove(c.job());
                    if (fin != null) pending.remove(fin);
                }
            } else if (d instanceof LeaseAcquired l) {
                openLeases.put(l.backend(), new Interval(l.workload(), l.backend(), now, null, l.mode()));
            } else if (d instanceof LeaseReleased l) {
                Interval i = openLeases.remove(l.backend());
                if (i != null) leases.add(new Interval(i.owner(), i.backend(), i.start(), now, i.mode()));
            } else if (d instanceof StartCalibration c) {
                openCalibrations.put(c.backend(), new Interval("calibration", c.backend(), now, c.until(), null));
            } else if (d instanceof Decision.CalibrationFinished c) {
                Interval i = openCalibrations.remove(c.backend());
                if (i != null) calibrations.add(new Interval(i.owner(), i.backend(), i.start(), now, null));
            }
        }
    }

    /** Makes a backend unavailable: its running jobs' finishes never arrive. */
    public List<Decision> backendDown(String backend) {
        for (Run r : new ArrayList<>(open.values())) {
            if (r.backend().equals(backend)) {
                Pending fin = finishes.remove(r.job());
                if (fin != null) pending.remove(fin);
                open.remove(r.job());
                runs.add(new Run(r.job(), r.backend(), r.start(), clock.instant(), r.workload()));
            }
        }
        return apply(new Event.BackendAvailability(backend, false, "simulator pod lost"));
    }

    private Pending schedule(Instant at, Event e) {
        Pending p = new Pending(at, seq++, e);
        pending.add(p);
        return p;
    }

    public JobView job(String id) {
        return scheduler.job(id).orElseThrow(() -> new AssertionError("no job " + id));
    }

    public WorkloadView workloadView(String id) {
        return scheduler.workload(id).orElseThrow(() -> new AssertionError("no workload " + id));
    }

    public List<Run> runsOf(String backend) {
        return runs.stream().filter(r -> r.backend().equals(backend)).sorted(Comparator.comparing(Run::start)).toList();
    }

    public List<String> startOrder() {
        return runs.stream().sorted(Comparator.comparing(Run::start).thenComparing(Run::job)).map(Run::job).toList();
    }

    public List<EventRejected> rejections() {
        return decisions.stream().filter(EventRejected.class::isInstance).map(EventRejected.class::cast).toList();
    }

    /** Sets the clock without running anything (for submissions at a chosen time). */
    public void advanceClock(Duration d) {
        runUntil(clock.instant().plus(d));
    }
}
