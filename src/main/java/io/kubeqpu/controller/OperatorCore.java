package io.kubeqpu.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeqpu.dispatch.QpuFleet;
import io.kubeqpu.dispatch.QpuReports;
import io.kubeqpu.scheduler.Decision;
import io.kubeqpu.scheduler.Event;
import io.kubeqpu.scheduler.JobPhase;
import io.kubeqpu.scheduler.Scheduler;
import io.kubeqpu.scheduler.SchedulerConfig;
import io.kubeqpu.scheduler.SchedulerSnapshot;
import io.kubeqpu.scheduler.SchedulerSnapshot.JobRecord;
import io.kubeqpu.simulator.device.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * What the reconcilers share: the scheduler (rebuilt from the cluster on first use), the QPU fleet that
 * carries out its decisions, and the status recorder that writes its views back.
 *
 * <p>Events are applied under one lock and their decisions handed, in that order, to a single dispatch
 * thread: a stop can never overtake the start it cancels. QPU calls are asynchronous, so one thread keeps up.
 */
public final class OperatorCore implements QpuReports, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OperatorCore.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final SchedulerConfig config;
    private final QpuFleet fleet;
    private final io.kubeqpu.dispatch.SimulatorPods pods;
    private final ResultStore results;
    private final StatusRecorder recorder;
    private final ExecutorService dispatch = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kubeqpu-dispatch");
        t.setDaemon(true);
        return t;
    });
    private final Object applyLock = new Object();
    /**
     * Fires a Tick at the scheduler's next deadline (TTLs, max execution time, calibration): one one-shot timer
     * re-armed after every event, not a polling loop. Reconcilers also come back at their own deadlines to refresh
     * their statuses; this timer makes sure no deadline depends on some reconcile happening to run.
     */
    private final java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kubeqpu-deadlines");
        t.setDaemon(true);
        return t;
    });
    private java.util.concurrent.ScheduledFuture<?> nextTick;
    private Instant nextTickAt;
    /** Jobs' UIDs as their reconciler saw them: the result ConfigMap's owner reference needs no GET. */
    private final java.util.Map<String, String> jobUids = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Scheduler scheduler;
    private final List<Consumer<List<Decision>>> observers = new java.util.concurrent.CopyOnWriteArrayList<>();

    public OperatorCore(KubernetesClient client, Clock clock, SchedulerConfig config, QpuFleet fleet) {
        this(client, clock, config, fleet, null);
    }

    /** @param pods the backends' simulator pods on a cluster; null when the QPUs run in process */
    public OperatorCore(KubernetesClient client, Clock clock, SchedulerConfig config, QpuFleet fleet,
                        io.kubeqpu.dispatch.SimulatorPods pods) {
        this.pods = pods;
        this.client = client;
        this.clock = clock;
        this.config = config;
        this.fleet = fleet;
        this.results = new ResultStore(client);
        this.recorder = new StatusRecorder(client, clock, this::scheduler,
                backend -> fleet.device(backend).isPresent());
        // The QPUs report to this core only once it works (its scheduler is built on its first reconcile): a standby
        // replica waiting for the leader Lease receives nothing.
    }

    public KubernetesClient client() {
        return client;
    }

    public Clock clock() {
        return clock;
    }

    public QpuFleet fleet() {
        return fleet;
    }

    /** The simulator pods manager, or null when QPUs run in process. */
    io.kubeqpu.dispatch.SimulatorPods pods() {
        return pods;
    }

    StatusRecorder recorder() {
        return recorder;
    }

    /**
     * Adds a watcher of every batch of decisions, called on the dispatch thread after they were carried out
     * (the embedded demo's timeline, metrics, the dashboard). Must be quick and must not call {@link #apply}.
     */
    public void observe(Consumer<List<Decision>> observer) {
        observers.add(observer);
    }

    /** The scheduler; on first use rebuilt from the resources' statuses and the QPUs' own view of their jobs. */
    public Scheduler scheduler() {
        Scheduler s = scheduler;
        if (s != null) return s;
        synchronized (applyLock) {
            if (scheduler == null) {
                fleet.connect(this);
                List<Event> afterRestore = new ArrayList<>();
                SchedulerSnapshot snap = reconcileWithQpus(SnapshotReader.read(client), afterRestore);
                scheduler = Scheduler.restore(clock, config, snap);
                LOG.infof("scheduler rebuilt from the cluster: %d backends, %d instances, %d workloads, %d jobs",
                        snap.backends().size(), snap.instances().size(), snap.workloads().size(), snap.jobs().size());
                List<Decision> ds = new ArrayList<>(scheduler.apply(new Event.Tick()));
                for (Event e : afterRestore) ds.addAll(scheduler.apply(e));
                List<Decision> all = ds;
                dispatch.execute(() -> execute(all));
                armTimer(scheduler);
            }
            return scheduler;
        }
    }

    public void apply(Event e) {
        Scheduler s = scheduler();
        synchronized (applyLock) {
            List<Decision> ds = s.apply(e);
            if (!ds.isEmpty()) dispatch.execute(() -> execute(ds));
            armTimer(s);
        }
    }

    /** Under applyLock: (re)arms the one-shot timer for the scheduler's next deadline if it moved earlier. */
    private void armTimer(Scheduler s) {
        Instant next = s.nextDeadline().orElse(null);
        if (next == null) return;
        if (nextTickAt != null && !next.isBefore(nextTickAt) && nextTick != null && !nextTick.isDone()) return;
        if (nextTick != null) nextTick.cancel(false);
        nextTickAt = next;
        long delay = Math.max(0, Duration.between(clock.instant(), next).toMillis() + 1);
        try {
            nextTick = timer.schedule(() -> {
                synchronized (applyLock) {
                    nextTickAt = null;
                }
                try {
                    apply(new Event.Tick());
                } catch (RuntimeException ex) {
                    LOG.warn("deadline tick failed", ex);
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // shutting down
        }
    }

    public void tick() {
        apply(new Event.Tick());
    }

    // ------------------------------------------------------------------ QPU reports

    @Override
    public void resultReady(String jobId, String resultJson, double quantumSeconds) {
        if (resultJson == null) {
            recorder.resultMissing(jobId);
            return;
        }
        try {
            results.save(jobId, jobUids.remove(jobId), resultJson, quantumSeconds);
            recorder.resultSaved(jobId);
        } catch (RuntimeException e) {
            LOG.warnf(e, "result of %s not saved", jobId);
            recorder.resultMissing(jobId);
        }
    }

    @Override
    public void report(Event event) {
        apply(event);
    }

    // ------------------------------------------------------------------ decisions → QPUs and statuses

    private void execute(List<Decision> ds) {
        Scheduler s = scheduler;
        for (Decision d : ds) {
            try {
                if (d instanceof Decision.PrepareJob p) {
                    fleet.prepare(p.job(), p.backend(), id -> RequestLoader.load(client, id));
                } else if (d instanceof Decision.StartJob st) {
                    fleet.start(st.job(), st.backend());
                    recorder.workload(st.workload());
                } else if (d instanceof Decision.StopJob st) {
                    fleet.stop(st.job(), st.backend());
                } else if (d instanceof Decision.StartCalibration c) {
                    fleet.calibrate(c.backend(), Duration.between(clock.instant(), c.until()));
                    recorder.backend(c.backend());
                    // The same words every time, so that the Events recorder aggregates them into one Event per backend.
                    recorder.event(StatusRecorder.Kind.BACKEND, c.backend(), "CalibrationStarted",
                            "calibrating for " + Math.round(Duration.between(clock.instant(), c.until()).toMillis() / 1000.0)
                                    + " s; no job starts meanwhile", false);
                } else if (d instanceof Decision.CalibrationFinished c) {
                    recorder.backend(c.backend());
                    recorder.event(StatusRecorder.Kind.BACKEND, c.backend(), "CalibrationFinished", "calibration done", false);
                } else if (d instanceof Decision.JobPhaseChanged c) {
                    recorder.job(c.job());
                    if (c.phase() == io.kubeqpu.scheduler.JobPhase.QUEUED && c.reason() != null)
                        recorder.event(StatusRecorder.Kind.JOB, c.job(), "Requeued", c.message(), true);
                    s.job(c.job()).ifPresent(v -> {
                        recorder.workload(v.workload());
                        recorder.backend(v.backend());
                        recorder.instance(v.instance());
                    });
                } else if (d instanceof Decision.WorkloadPhaseChanged w) {
                    recorder.workload(w.workload());
                    s.workload(w.workload()).ifPresent(v -> recorder.instance(v.instance()));
                } else if (d instanceof Decision.LeaseAcquired l) {
                    recorder.workload(l.workload());
                    recorder.backend(l.backend());
                    String what = l.mode().name().toLowerCase() + " lease on " + l.backend();
                    recorder.event(StatusRecorder.Kind.WORKLOAD, l.workload(), "LeaseAcquired", "acquired the " + what, false);
                    recorder.event(StatusRecorder.Kind.BACKEND, l.backend(), "LeaseAcquired",
                            l.workload().replace(":", " ") + " acquired the " + what, false);
                } else if (d instanceof Decision.LeaseReleased l) {
                    recorder.workload(l.workload());
                    recorder.backend(l.backend());
                    recorder.event(StatusRecorder.Kind.WORKLOAD, l.workload(), "LeaseReleased", "released its lease on " + l.backend(), false);
                    recorder.event(StatusRecorder.Kind.BACKEND, l.backend(), "LeaseReleased",
                            l.workload().replace(":", " ") + " released its lease", false);
                } else if (d instanceof Decision.EventRejected r) {
                    LOG.debugf("scheduler refused %s: %s %s", r.event(), r.reason(), r.message());
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "could not carry out %s", d);
            }
        }
        for (Consumer<List<Decision>> o : observers) {
            try {
                o.accept(ds);
            } catch (RuntimeException e) {
                LOG.debug("decision observer failed", e);
            }
        }
    }

    // ------------------------------------------------------------------ restart

    /**
     * Observe before deciding: a job the statuses call queued may have started on its QPU, or finished, while
     * nobody wrote it down; a job they call running may be gone from its QPU. The QPU's word wins.
     */
    private SchedulerSnapshot reconcileWithQpus(SchedulerSnapshot snap, List<Event> after) {
        List<JobRecord> jobs = new ArrayList<>();
        for (JobRecord r : snap.jobs()) {
            if (r.phase().isTerminal() || r.spec().backend() == null) {
                jobs.add(r);
                continue;
            }
            JobStatus st = fleet.status(r.spec().backend(), r.spec().id());
            boolean started = st != null && (st.startedAt() != null || st.startRequested());
            if (r.phase() == JobPhase.QUEUED && !started) {
                jobs.add(r);
                continue;
            }
            Instant startedAt = r.startedAt() != null ? r.startedAt() : st != null && st.startedAt() != null ? st.startedAt() : clock.instant();
            jobs.add(new JobRecord(r.spec(), JobPhase.RUNNING, null, null, startedAt, null, 0,
                    r.phase() == JobPhase.QUEUED ? r.attempts() + 1 : Math.max(1, r.attempts()), r.stopAt()));
            String id = r.spec().id();
            if (st == null || st.state() == io.kubeqpu.simulator.device.JobState.CANCELLED) {
                after.add(new Event.JobLost(id, "not known to the QPU after an operator restart"));
            } else if (st.state() == io.kubeqpu.simulator.device.JobState.COMPLETED) {
                resultReady(id, st.resultJson(), st.quantumSeconds() == null ? 0 : st.quantumSeconds());
                after.add(new Event.JobFinished(id, st.quantumSeconds() == null ? 0 : st.quantumSeconds()));
            } else if (st.state() == io.kubeqpu.simulator.device.JobState.FAILED) {
                after.add(new Event.JobFailed(id, st.reason(), st.message(), st.quantumSeconds() == null ? 0 : st.quantumSeconds()));
            }
        }
        return new SchedulerSnapshot(snap.backends(), snap.instances(), snap.workloads(), jobs);
    }

    /** Waits until decisions are carried out and statuses written (tests, shutdown). */
    public boolean flush(long timeoutMillis) {
        long end = System.currentTimeMillis() + timeoutMillis;
        try {
            dispatch.submit(() -> { }).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return false;
        }
        return recorder.flush(Math.max(1, end - System.currentTimeMillis()));
    }

    void rememberUid(String jobId, String uid) {
        if (uid != null) jobUids.put(jobId, uid);
    }

    @Override
    public void close() {
        flush(5_000);
        fleet.disconnect(this);
        timer.shutdownNow();
        dispatch.shutdownNow();
        recorder.close();
    }
}
