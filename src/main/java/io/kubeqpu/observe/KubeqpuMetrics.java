package io.kubeqpu.observe;

import io.kubeqpu.scheduler.BackendView;
import io.kubeqpu.scheduler.Decision;
import io.kubeqpu.scheduler.InstanceView;
import io.kubeqpu.scheduler.JobPhase;
import io.kubeqpu.scheduler.JobView;
import io.kubeqpu.scheduler.Reasons;
import io.kubeqpu.scheduler.Scheduler;
import io.kubeqpu.scheduler.WorkloadKind;
import io.kubeqpu.scheduler.WorkloadPhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * kubeqpu's Prometheus metrics (names in docs/observability.md), fed by the scheduler's decisions and read from
 * its views. Counters and histograms move on decisions; gauges are read at scrape time from a picture of the
 * queues that is rebuilt at most once a second, so a scrape never scans 10,000 jobs twice and the dispatch
 * thread (which calls {@link #accept}) never scans them at all.
 */
public final class KubeqpuMetrics implements Consumer<List<Decision>> {
    /**
     * The tenant label: "instance" is Prometheus' own target label, so ours arrived as exported_instance and every
     * per-tenant panel collapsed into one series.
     */
    public static final String INSTANCE_LABEL = "qinstance";
    /** Busy ratio window: long enough to smooth one job, short enough to show a session's idle think time. */
    static final Duration BUSY_WINDOW = Duration.ofSeconds(60);
    private static final Duration PICTURE_MAX_AGE = Duration.ofSeconds(1);
    private static final Duration[] BUCKETS = java.util.stream.DoubleStream.of(
                    0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600, 10800)
            .mapToObj(s -> Duration.ofNanos((long) (s * 1e9))).toArray(Duration[]::new);

    private final MeterRegistry registry;
    private final Supplier<Scheduler> scheduler;
    private final Clock clock;

    private final Set<String> backends = ConcurrentHashMap.newKeySet();
    private final Set<String> instances = ConcurrentHashMap.newKeySet();
    private final Map<String, BusyWindow> busy = new ConcurrentHashMap<>();
    private final MultiGauge leaseInfo;
    private volatile QueuePicture picture;

    public KubeqpuMetrics(MeterRegistry registry, Supplier<Scheduler> scheduler, Clock clock) {
        this.registry = registry;
        this.scheduler = scheduler;
        this.clock = clock;
        this.leaseInfo = MultiGauge.builder("kubeqpu.backend.lease.info")
                .description("1 for the workload holding a backend's lease (labels: backend, workload, mode)")
                .register(registry);
        for (WorkloadKind kind : WorkloadKind.values())
            for (WorkloadPhase phase : WorkloadPhase.values())
                Gauge.builder("kubeqpu.workloads", this, m -> m.picture().workloads(kind, phase))
                        .description("Batches and sessions by kind and phase")
                        .tags("kind", kind.name().toLowerCase(), "phase", phase.name())
                        .register(registry);
        // Poison objects (issue 15): versions of custom resources a field of which the operator could not read.
        io.micrometer.core.instrument.FunctionCounter.builder("kubeqpu.unreadable.objects", this, m -> io.kubeqpu.api.v1alpha1.Unreadable.count())
                .description("Custom resource versions the operator could not read fully: reported on the object and skipped")
                .register(registry);
    }

    /** Registers kubeqpu's metrics in {@code registry} and feeds them from the core's decisions. */
    public static KubeqpuMetrics attach(io.kubeqpu.controller.OperatorCore core, MeterRegistry registry) {
        KubeqpuMetrics m = new KubeqpuMetrics(registry, core::scheduler, core.clock());
        core.observe(m);
        return m;
    }

    // ------------------------------------------------------------------ decisions

    @Override
    public void accept(List<Decision> decisions) {
        Scheduler s = scheduler.get();
        Instant now = clock.instant();
        boolean leasesChanged = false;
        for (Decision d : decisions) {
            if (d instanceof Decision.StartJob st) {
                knowBackend(st.backend());
                s.job(st.job()).ifPresent(v -> {
                    knowInstance(v.instance());
                    if (v.queuedAt() != null && v.startedAt() != null)
                        jobTimer("kubeqpu.job.wait", "Time from submission to start on the QPU", WorkMode.of(v, s))
                                .record(Duration.between(v.queuedAt(), v.startedAt()));
                });
            } else if (d instanceof Decision.JobPhaseChanged c && c.phase().isTerminal()) {
                s.job(c.job()).ifPresent(v -> jobFinished(v, c, WorkMode.of(v, s)));
            } else if (d instanceof Decision.JobPhaseChanged c && c.phase() == JobPhase.QUEUED) {
                s.job(c.job()).ifPresent(v -> {
                    knowBackend(v.backend());
                    knowInstance(v.instance());
                });
            } else if (d instanceof Decision.WorkloadPhaseChanged w) {
                workloadPhaseChanged(s, w);
            } else if (d instanceof Decision.LeaseAcquired l) {
                knowBackend(l.backend());
                leasesChanged = true;
            } else if (d instanceof Decision.LeaseReleased) {
                leasesChanged = true;
            } else if (d instanceof Decision.StartCalibration c) {
                knowBackend(c.backend());
                Counter.builder("kubeqpu.calibrations").description("Calibrations started")
                        .tag("backend", c.backend()).register(registry).increment();
            } else if (d instanceof Decision.EventRejected r) {
                Counter.builder("kubeqpu.scheduler.rejected.events")
                        .description("Events the scheduler refused (duplicate ids, unknown objects, bad specs)")
                        .tag("reason", r.reason() == null ? "" : r.reason()).register(registry).increment();
            }
        }
        for (String b : backends) {
            BackendView v = s.backend(b).orElse(null);
            if (v != null) busy.get(b).update(v.runningJobs() > 0 || v.calibrating(), now);
        }
        if (leasesChanged) refreshLeases(s);
    }

    private void jobFinished(JobView v, Decision.JobPhaseChanged c, WorkMode mode) {
        if (v.startedAt() != null && v.completedAt() != null)
            jobTimer("kubeqpu.job.run", "Time a job ran on the QPU (wall clock)", mode)
                    .record(Duration.between(v.startedAt(), v.completedAt()));
        Counter.builder("kubeqpu.jobs.finished").description("Jobs that reached a terminal phase")
                .tags("mode", mode.label(), "phase", c.phase().name()).register(registry).increment();
        if (v.quantumSeconds() > 0 && v.instance() != null)
            Counter.builder("kubeqpu.instance.quantum").baseUnit("seconds")
                    .description("QPU time of finished jobs per instance (measured by the QPU)")
                    .tag(INSTANCE_LABEL, v.instance()).register(registry).increment(v.quantumSeconds());
    }

    private void workloadPhaseChanged(Scheduler s, Decision.WorkloadPhaseChanged w) {
        String kind = s.workload(w.workload()).map(v -> v.kind().name().toLowerCase())
                .orElse(w.workload().startsWith("session:") ? "session" : "batch");
        if (w.phase() == WorkloadPhase.EXPIRED)
            ttlExpiry(kind, "max");
        if (w.phase() == WorkloadPhase.INACTIVE) {
            if (Reasons.INTERACTIVE_TTL_EXPIRED.equals(w.reason())) ttlExpiry(kind, "interactive");
            Counter.builder("kubeqpu.workload.deactivations").description("Batches and sessions that became Inactive")
                    .tag("kind", kind).register(registry).increment();
        }
    }

    private void ttlExpiry(String kind, String ttl) {
        Counter.builder("kubeqpu.workload.ttl.expiries").description("Max or interactive TTLs that ran out")
                .tags("kind", kind, "ttl", ttl).register(registry).increment();
    }

    private Timer jobTimer(String name, String description, WorkMode mode) {
        return Timer.builder(name).description(description).tag("mode", mode.label())
                // Fixed buckets from 10 ms (simulated jobs) to 3 h (the max execution time cap): 15 series per mode,
                // instead of the ~70 of a percentile histogram, and enough for histogram_quantile p50/p99.
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    private void refreshLeases(Scheduler s) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (String b : backends)
            s.backend(b).filter(v -> v.leaseHolder() != null).ifPresent(v -> rows.add(MultiGauge.Row.of(
                    Tags.of("backend", b, "workload", v.leaseHolder(), "mode", v.leaseMode().name().toLowerCase()), 1)));
        leaseInfo.register(rows, true);
    }

    // ------------------------------------------------------------------ gauges per backend and instance

    private void knowBackend(String b) {
        if (b == null || !backends.add(b)) return;
        busy.put(b, new BusyWindow(BUSY_WINDOW, clock.instant()));
        Tags t = Tags.of("backend", b);
        Gauge.builder("kubeqpu.queue.length", this, m -> m.picture().backendQueue(b))
                .description("Jobs queued for a backend (normal queue, lease holder's queue, staged)").tags(t).register(registry);
        Gauge.builder("kubeqpu.queue.oldest.wait", this, m -> m.picture().backendOldestWait(b)).baseUnit("seconds")
                .description("How long the backend's oldest queued job has waited").tags(t).register(registry);
        Gauge.builder("kubeqpu.backend.running.jobs", this, m -> m.picture().backendRunning(b))
                .description("Jobs running on the backend").tags(t).register(registry);
        Gauge.builder("kubeqpu.backend.busy.ratio", this, m -> m.busy.get(b).ratio(m.clock.instant()))
                .description("Fraction of the last 60 s the QPU ran a job or calibrated").tags(t).register(registry);
        FunctionCounter.builder("kubeqpu.backend.busy", this, m -> m.busy.get(b).totalSeconds(m.clock.instant()))
                .baseUnit("seconds").description("Time the QPU ran a job or calibrated").tags(t).register(registry);
    }

    private void knowInstance(String i) {
        if (i == null || !instances.add(i)) return;
        Tags t = Tags.of(INSTANCE_LABEL, i);
        Gauge.builder("kubeqpu.instance.queue.length", this, m -> m.picture().instanceQueue(i))
                .description("Queued jobs of an instance, all backends").tags(t).register(registry);
        Gauge.builder("kubeqpu.instance.queue.oldest.wait", this, m -> m.picture().instanceOldestWait(i))
                .baseUnit("seconds").description("How long the instance's oldest queued job has waited").tags(t).register(registry);
        Gauge.builder("kubeqpu.instance.usage", this, m -> m.scheduler.get().instance(i).map(InstanceView::usageSeconds).orElse(0.0))
                .baseUnit("seconds").description("Usage charged in the current period (active sessions' wall clock included)")
                .tags(t).register(registry);
    }

    /** The queue picture, rebuilt when older than a second. */
    QueuePicture picture() {
        Instant now = clock.instant();
        QueuePicture p = picture;
        if (p == null || Duration.between(p.takenAt, now).compareTo(PICTURE_MAX_AGE) >= 0) {
            p = QueuePicture.take(scheduler.get(), backends, instances, now);
            picture = p;
        }
        return p;
    }

    /** Forces the next gauge read to see the scheduler as it is now (tests). */
    void invalidate() {
        picture = null;
    }

    /** Queue lengths and oldest waits per backend and instance, and workload counts, at one instant. */
    static final class QueuePicture {
        final Instant takenAt;
        final Map<String, Integer> backendQueue = new HashMap<>();
        final Map<String, Integer> backendRunning = new HashMap<>();
        final Map<String, Instant> backendOldest = new HashMap<>();
        final Map<String, Integer> instanceQueue = new HashMap<>();
        final Map<String, Instant> instanceOldest = new HashMap<>();
        final Map<String, Integer> workloads = new HashMap<>();

        private QueuePicture(Instant takenAt) {
            this.takenAt = takenAt;
        }

        /**
         * Under the scheduler's lock: per backend its view and a queue snapshot (reference copies), per instance its
         * counters. The queued jobs are walked outside it: a scrape at 100,000 finished jobs used to build a view of
         * each queued one while it held the lock, behind a walk of every job.
         */
        static QueuePicture take(Scheduler s, Set<String> backends, Set<String> instances, Instant now) {
            QueuePicture p = new QueuePicture(now);
            for (String b : backends) {
                s.backend(b).ifPresent(v -> {
                    p.backendQueue.put(b, v.queueLength());
                    p.backendRunning.put(b, v.runningJobs());
                });
                s.queueSnapshot(b).forEachJob((job, instance, queuedAt) -> {
                    if (queuedAt == null) return;
                    p.backendOldest.merge(b, queuedAt, (x, y) -> x.isBefore(y) ? x : y);
                    p.instanceOldest.merge(instance, queuedAt, (x, y) -> x.isBefore(y) ? x : y);
                });
            }
            for (String i : instances) s.instance(i).ifPresent(v -> p.instanceQueue.put(i, v.queuedJobs()));
            for (WorkloadKind kind : WorkloadKind.values())
                for (WorkloadPhase phase : WorkloadPhase.values()) p.workloads.put(kind + "/" + phase, s.workloadCount(kind, phase));
            return p;
        }

        double backendQueue(String b) {
            return backendQueue.getOrDefault(b, 0);
        }

        double backendRunning(String b) {
            return backendRunning.getOrDefault(b, 0);
        }

        double instanceQueue(String i) {
            return instanceQueue.getOrDefault(i, 0);
        }

        double backendOldestWait(String b) {
            return waitSince(backendOldest.get(b));
        }

        double instanceOldestWait(String i) {
            return waitSince(instanceOldest.get(i));
        }

        double workloads(WorkloadKind kind, WorkloadPhase phase) {
            return workloads.getOrDefault(kind + "/" + phase, 0);
        }

        private double waitSince(Instant oldest) {
            return oldest == null ? 0 : Math.max(0, Duration.between(oldest, takenAt).toNanos() / 1e9);
        }
    }
}
