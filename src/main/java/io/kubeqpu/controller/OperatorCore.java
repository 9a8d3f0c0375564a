package io.kubeqpu.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeqpu.api.v1alpha1.QuantumBackend;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * What the reconcilers share: the scheduler (rebuilt from the cluster on first use), the QPU fleet that
 * carries out its decisions, and the status recorder that writes its views back.
 *
 * <p>Events are applied under one lock and their decisions handed, in that order, to one decision thread, which marks
 * statuses, queues Events, calls the observers and hands each QPU call to its backend's lane: one ordered thread per
 * backend, so a stop can never overtake the start it cancels, and a QPU that does not answer (an HTTP call waits up to
 * 30 s) holds up its own backend only.
 */
public final class OperatorCore implements QpuReports, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OperatorCore.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final SchedulerConfig config;
    private final QpuFleet fleet;
    private final io.kubeqpu.dispatch.SimulatorPods pods;
    private final ResultStore results;
    private final SubmissionLimits limits = new SubmissionLimits();
    private final ClosingWorkloads closing;
    private final DefaultInstances defaults;
    private final StatusRecorder recorder;
    /** The operator's own record of usage and anchors, in its namespace: what a forged status must not change. */
    private final Ledger ledger;
    private final ExecutorService dispatch = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kubeqpu-decisions");
        t.setDaemon(true);
        return t;
    });
    /**
     * Saves results (a ConfigMap each) off the QPU's report thread, several at once: saved one by one there, they
     * capped a backend at one API round trip per job.
     */
    static final int RESULT_SAVERS = 16;
    private final ExecutorService resultSavers = Executors.newFixedThreadPool(RESULT_SAVERS, r -> {
        Thread t = new Thread(r, "kubeqpu-results");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.atomic.AtomicInteger resultsInFlight = new java.util.concurrent.atomic.AtomicInteger();
    /** Backend → its QPU lane: calls to one QPU in the order they were decided; other backends never wait for them. */
    private final Map<String, ThreadPoolExecutor> lanes = new ConcurrentHashMap<>();
    private volatile boolean closed;
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
        this.closing = new ClosingWorkloads(client);
        this.ledger = new Ledger(client, Ledger.operatorNamespace(client));
        this.recorder = new StatusRecorder(client, clock, this::scheduler,
                backend -> fleet.device(backend).isPresent(), ledger);
        this.defaults = new DefaultInstances(recorder::instance);
        recorder.instanceProblem(defaults::conflict);
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

    /** Sessions and batches whose close waits for jobs created before it, and how those jobs wake them. */
    ClosingWorkloads closing() {
        return closing;
    }

    DefaultInstances defaults() {
        return defaults;
    }

    /** The backends' limits checked at submission, and the operator's cap on a job's result. */
    public SubmissionLimits limits() {
        return limits;
    }

    /** The backend as its reconciler last saw it, or read from the API server; null when there is none. */
    io.kubeqpu.api.v1alpha1.QuantumBackend backend(String name) {
        var b = limits.backend(name);
        return b != null ? b : client.resources(io.kubeqpu.api.v1alpha1.QuantumBackend.class).withName(name).get();
    }

    /**
     * Adds a watcher of every batch of decisions (the embedded demo's timeline, metrics, the dashboard), called on the
     * decision thread, batch after batch in the order the scheduler made them, once the batch was handled: statuses
     * marked, Events queued, QPU calls handed to their backends' lanes (a slow QPU may still be answering). Must be
     * quick and must not call {@link #apply}.
     */
    public void observe(Consumer<List<Decision>> observer) {
        observers.add(observer);
    }

    /** The scheduler; on first use rebuilt from the resources' statuses and the QPUs' own view of their jobs. */
    public Scheduler scheduler() {
        Scheduler s = scheduler;
        if (s != null) return s;
        synchronized (applyLock) {
            if (scheduler == null) restore();
            return scheduler;
        }
    }

    /**
     * Starts rebuilding the scheduler now, on a thread of its own, instead of at the first reconcile (DESIGN §2: the
     * restore is a startup phase): when the operator starts, or when this replica begins to lead
     * ({@link LeaderElection}). Reconciles that come meanwhile wait for it. If it fails (the API server not there yet,
     * the CRDs not installed), it is tried again after 1, 2, 4 … 30 s, or sooner by a reconcile, and readiness says why
     * meanwhile.
     */
    public void restoreInBackground() {
        if (scheduler != null || closed) return;
        Thread t = new Thread(() -> {
            for (long wait = 1_000; scheduler == null && !closed; wait = Math.min(2 * wait, 30_000)) {
                try {
                    scheduler();
                } catch (RuntimeException e) {
                    LOG.warnf("restore failed, tried again in %d s: %s", wait / 1_000, e.getMessage());
                    try {
                        Thread.sleep(wait);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }, "kubeqpu-restore");
        t.setDaemon(true);
        t.start();
    }

    /** True once the scheduler was rebuilt from the cluster (readiness: nothing is decided before). */
    public boolean restored() {
        return scheduler != null;
    }

    /** True while the restore runs. */
    public boolean restoring() {
        return restoring;
    }

    private volatile boolean restoring;
    private volatile String restoreError;

    /** Why the last restore attempt failed (it is tried again at the next reconcile), or null. */
    public String restoreError() {
        return restoreError;
    }

    /**
     * The restart: statuses → scheduler, with the QPUs' word on every unfinished job. Devices are connected first (a
     * restarted operator has a fresh fleet): a QPU that cannot be asked yet is asked again later, never taken to
     * have lost its jobs. One object that cannot be read is reported on that object and never stops the others.
     */
    private void restore() {
        restoring = true;
        try {
            restoreNow();
            restoreError = null;
        } catch (RuntimeException e) {
            restoreError = String.valueOf(e);
            throw e;
        } finally {
            restoring = false;
        }
    }

    private void restoreNow() {
        long t0 = System.nanoTime();
        fleet.connect(this);
        // The ledger first: where a status could grant something (usage, deadlines, a lease) restore goes by it.
        ledger.read();
        SnapshotReader.ClusterState cluster = SnapshotReader.readCluster(client, ledger, clock.instant());
        List<SnapshotReader.Problem> problems = new ArrayList<>(cluster.problems());
        for (QuantumBackend b : cluster.backends()) {
            try {
                // Its limits too, so that jobs submitted right after a restart are checked without a GET each.
                limits.backendSeen(b);
                fleet.ensure(b.getMetadata().getName(), SpecMapper.profile(b), SpecMapper.deviceOptions(b));
            } catch (RuntimeException e) {
                problems.add(new SnapshotReader.Problem(b, "its QPU could not be connected: " + e.getMessage()));
            }
        }
        cluster.unfinishedJobs().forEach((id, job) -> {
            try {
                fleet.register(id, job.getMetadata().getUid(), SpecMapper.request(job.getSpec()));
            } catch (RuntimeException e) {
                problems.add(new SnapshotReader.Problem(job, "its request could not be read: " + e.getMessage()));
            }
        });
        List<Event> afterRestore = new ArrayList<>();
        Map<String, String> unreachable = new java.util.LinkedHashMap<>();
        SchedulerSnapshot snap = reconcileWithQpus(cluster.snapshot(), afterRestore, unreachable);
        Scheduler restoredScheduler = Scheduler.restore(clock, config, snap);
        // What was restored is the ledger from now on (written before any status of this incarnation).
        recorder.ledgerAll(restoredScheduler, snap);
        scheduler = restoredScheduler;
        LOG.infof("scheduler rebuilt from the cluster in %d ms: %d backends, %d instances, %d workloads, %d jobs; %d QPU(s) to ask again",
                (System.nanoTime() - t0) / 1_000_000, snap.backends().size(), snap.instances().size(), snap.workloads().size(),
                snap.jobs().size(), unreachable.size());
        for (SnapshotReader.Problem p : problems) {
            LOG.warnf("%s %s/%s %s", p.object().getKind(), p.object().getMetadata().getNamespace(), p.object().getMetadata().getName(), p.message());
            recorder.event(p.object(), "RestoreFailed", p.message());
        }
        for (String p : restoredScheduler.loadProblems()) LOG.warnf("restore: %s", p);
        List<Decision> ds = new ArrayList<>(restoredScheduler.apply(new Event.Tick()));
        for (Event e : afterRestore) ds.addAll(restoredScheduler.apply(e));
        dispatch.execute(() -> execute(ds));
        armTimer(restoredScheduler);
        unreachable.forEach((job, backend) -> askAgainLater(job, backend, 1));
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
    public void resultReady(String jobId, String uid, String resultJson, double quantumSeconds) {
        resultsInFlight.incrementAndGet();
        try {
            resultSavers.execute(() -> {
                try {
                    String problem;
                    try {
                        problem = storeResult(jobId, uid, resultJson, quantumSeconds);
                    } catch (IllegalStateException stopping) { // storeResult: the operator is stopping
                        LOG.debugf("%s", stopping.getMessage());
                        return;
                    }
                    // Never Completed without a result its user can read: Failed, and its QPU time not charged.
                    if (problem != null) apply(new Event.JobResultLost(jobId, io.kubeqpu.scheduler.Reasons.RESULT_NOT_STORED, problem));
                } finally {
                    resultsInFlight.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // Shutting down: the QPU keeps the result, and the next incarnation adopts the job and saves it.
            resultsInFlight.decrementAndGet();
        }
    }

    /** Null when the result is stored (or its job is gone), else why it is not. */
    private String storeResult(String jobId, String uid, String resultJson, double quantumSeconds) {
        if (resultJson == null) return "the QPU returned no result; its QPU time is not charged";
        try {
            results.save(jobId, uid, resultJson, quantumSeconds);
            recorder.resultSaved(jobId);
            return null;
        } catch (RuntimeException e) {
            // Cut short because this incarnation is stopping: no lost result, the next one adopts the job and saves it
            // (OperatorRestartChaosTest saw jobs failed ResultNotStored by an interrupted restore and save).
            if (closed || stopping(e)) throw new IllegalStateException("result of " + jobId + " not saved: the operator is stopping", e);
            LOG.warnf(e, "result of %s not saved", jobId);
            String why = e instanceof io.fabric8.kubernetes.client.KubernetesClientException k && k.getStatus() != null
                    && k.getStatus().getMessage() != null ? k.getStatus().getMessage() : e.getMessage();
            return "its result could not be stored (" + why + "); its QPU time is not charged";
        }
    }

    /** The failure is this incarnation stopping (its thread interrupted, its client closed), not the API server's no. */
    static boolean stopping(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause())
            if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException
                    || String.valueOf(t.getMessage()).contains("Client is closed")) return true;
        return Thread.currentThread().isInterrupted();
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
                    onLane(p.backend(), d, () -> fleet.prepare(p.job(), p.backend(), id -> RequestLoader.load(client, id)));
                } else if (d instanceof Decision.StartJob st) {
                    onLane(st.backend(), d, () -> fleet.start(st.job(), st.backend()));
                    recorder.workload(st.workload());
                } else if (d instanceof Decision.StopJob st) {
                    onLane(st.backend(), d, () -> fleet.stop(st.job(), st.backend()));
                } else if (d instanceof Decision.StartCalibration c) {
                    onLane(c.backend(), d, () -> fleet.calibrate(c.backend(), Duration.between(clock.instant(), c.until())));
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

    /**
     * Runs a QPU call on its backend's lane: after every call decided before it for that backend, and never waiting
     * for another backend's QPU. A lane's thread ends when idle, so a backend without work costs no thread.
     */
    private void onLane(String backend, Object what, Runnable call) {
        Runnable logged = () -> {
            try {
                call.run();
            } catch (RuntimeException e) {
                LOG.warnf(e, "could not carry out %s", what);
            }
        };
        if (backend == null) {
            logged.run();
            return;
        }
        try {
            lanes.computeIfAbsent(backend, b -> {
                ThreadPoolExecutor lane = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "kubeqpu-qpu-" + b);
                    t.setDaemon(true);
                    return t;
                });
                lane.allowCoreThreadTimeOut(true);
                if (closed) lane.shutdown();
                return lane;
            }).execute(logged);
        } catch (RejectedExecutionException shuttingDown) {
            LOG.debugf("not carried out, the operator stops: %s", what);
        }
    }

    // ------------------------------------------------------------------ restart

    /** How often, and how many times, a restored running job's QPU is asked again when it could not be reached. */
    static final Duration ASK_AGAIN_EVERY = Duration.ofSeconds(2);
    static final int ASK_AGAIN_TIMES = 15;

    /**
     * Observe before deciding: a job the statuses call queued may have started on its QPU, or finished, while
     * nobody wrote it down; a job they call running may be gone from its QPU. The QPU's word wins; a QPU that does not
     * answer is asked again later ({@code unreachable}: job → backend), its running jobs kept running meanwhile.
     */
    private SchedulerSnapshot reconcileWithQpus(SchedulerSnapshot snap, List<Event> after, Map<String, String> unreachable) {
        Map<String, QpuFleet.QpuAnswer> answers = askQpus(snap.jobs());
        List<JobRecord> jobs = new ArrayList<>();
        for (JobRecord r : snap.jobs()) {
            if (r.phase().isTerminal() || r.spec().backend() == null) {
                jobs.add(r);
                continue;
            }
            String id = r.spec().id();
            QpuFleet.QpuAnswer answer = answers.get(id);
            if (answer instanceof QpuFleet.QpuAnswer.Unreachable) {
                if (r.phase() == JobPhase.RUNNING) unreachable.put(id, r.spec().backend());
                jobs.add(r); // a queued one is prepared again when its turn comes: the QPU answers then
                continue;
            }
            JobStatus st = answer instanceof QpuFleet.QpuAnswer.Known k ? k.status() : null;
            boolean started = st != null && (st.startedAt() != null || st.startRequested());
            if (r.phase() == JobPhase.QUEUED && !started) {
                jobs.add(r);
                continue;
            }
            if (r.phase() == JobPhase.RUNNING && st != null && !started && !st.state().terminal()) {
                // Its start was decided (and written) but never reached the QPU (the operator stopped first): it never
                // ran, so it goes back to the queue with the attempt it did not make, and starts once.
                jobs.add(new JobRecord(r.spec(), JobPhase.QUEUED, null, null, null, null, 0, Math.max(0, r.attempts() - 1),
                        null, r.arrival()));
                continue;
            }
            // Adopted as running (it ran, or runs, on the QPU); never started a second time. The QPU's own start time
            // bounds the status's (which its writers could move): the earlier one anchors its max execution time.
            Instant startedAt = Ledger.earlier(r.startedAt(), st == null ? null : st.startedAt());
            if (startedAt == null) startedAt = clock.instant();
            jobs.add(new JobRecord(r.spec(), JobPhase.RUNNING, null, null, startedAt, null, 0,
                    r.phase() == JobPhase.QUEUED ? r.attempts() + 1 : Math.max(1, r.attempts()), r.stopAt(), r.arrival()));
            Event e = qpuSays(id, st);
            if (e != null) after.add(e);
        }
        return new SchedulerSnapshot(snap.backends(), snap.instances(), snap.workloads(), jobs);
    }

    /** How long a restart waits for the slowest QPU's answers before taking it as unreachable for now. */
    static final Duration RESTORE_ASK_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Every unfinished job's QPU asked about it: all backends at once, each backend's jobs one after another on a thread
     * of its own, for at most {@link #RESTORE_ASK_TIMEOUT} in all. A QPU that does not answer (a hung simulator pod)
     * thus delays a restart by that much, not by its HTTP timeout once per job, and never delays the other backends;
     * the jobs it did not answer about are unreachable for now (running ones are asked again later). After a QPU
     * was unreachable once, its other jobs are not asked: the answer would be the same.
     */
    private Map<String, QpuFleet.QpuAnswer> askQpus(List<JobRecord> records) {
        Map<String, List<String>> byBackend = new java.util.LinkedHashMap<>();
        for (JobRecord r : records)
            if (!r.phase().isTerminal() && r.spec().backend() != null)
                byBackend.computeIfAbsent(r.spec().backend(), b -> new ArrayList<>()).add(r.spec().id());
        Map<String, QpuFleet.QpuAnswer> answers = new ConcurrentHashMap<>();
        if (byBackend.isEmpty()) return answers;
        ExecutorService askers = Executors.newFixedThreadPool(Math.min(byBackend.size(), 16), r -> {
            Thread t = new Thread(r, "kubeqpu-restore-ask");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<?>> asked = new ArrayList<>();
            byBackend.forEach((backend, ids) -> asked.add(askers.submit(() -> {
                for (String id : ids) {
                    QpuFleet.QpuAnswer a = fleet.ask(backend, id);
                    answers.put(id, a);
                    if (a instanceof QpuFleet.QpuAnswer.Unreachable) {
                        for (String other : ids) answers.putIfAbsent(other, a);
                        return;
                    }
                }
            })));
            long end = System.nanoTime() + RESTORE_ASK_TIMEOUT.toNanos();
            for (var f : asked) {
                try {
                    f.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    // Its QPU has not answered (or failed): the jobs it did not answer about are filled in below.
                } catch (InterruptedException e) {
                    // This incarnation is stopping: the restore ends here, and the next one starts it again.
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("restore interrupted: the operator is stopping", e);
                }
            }
        } finally {
            askers.shutdownNow();
        }
        byBackend.forEach((backend, ids) -> {
            QpuFleet.QpuAnswer none = new QpuFleet.QpuAnswer.Unreachable("the QPU of " + backend + " did not answer within "
                    + RESTORE_ASK_TIMEOUT.toSeconds() + " s of the operator's start");
            for (String id : ids) answers.putIfAbsent(id, none);
        });
        return Map.copyOf(answers); // an answer arriving late changes nothing any more
    }

    /** What the QPU's status of a job the scheduler has running means for the scheduler, if anything yet. */
    private Event qpuSays(String id, JobStatus st) {
        double qs = st == null || st.quantumSeconds() == null ? 0 : st.quantumSeconds();
        if (st == null || st.state() == io.kubeqpu.simulator.device.QpuJobState.CANCELLED)
            return new Event.JobLost(id, "not known to the QPU after an operator restart");
        if (st.state() == io.kubeqpu.simulator.device.QpuJobState.COMPLETED) {
            fleet.forget(id);
            String problem = storeResult(id, null, st.resultJson(), qs);
            return problem == null ? new Event.JobFinished(id, qs)
                    : new Event.JobFailed(id, io.kubeqpu.scheduler.Reasons.RESULT_NOT_STORED, problem, 0);
        }
        if (st.state() == io.kubeqpu.simulator.device.QpuJobState.FAILED) {
            fleet.forget(id);
            return new Event.JobFailed(id, st.reason(), st.message(), qs);
        }
        return null; // still running: the QPU reports its end
    }

    private void askAgainLater(String job, String backend, int attempt) {
        try {
            // Asked on the backend's lane: a QPU that does not answer must not hold up the deadline timer.
            timer.schedule(() -> onLane(backend, "asking again about " + job, () -> askAgain(job, backend, attempt)),
                    ASK_AGAIN_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // shutting down
        }
    }

    private void askAgain(String job, String backend, int attempt) {
        try {
            Scheduler s = scheduler;
            if (s == null || s.job(job).map(v -> v.phase() != JobPhase.RUNNING).orElse(true)) return;
            QpuFleet.QpuAnswer answer = fleet.ask(backend, job);
            if (answer instanceof QpuFleet.QpuAnswer.Unreachable u) {
                if (attempt < ASK_AGAIN_TIMES) askAgainLater(job, backend, attempt + 1);
                else apply(new Event.JobLost(job, "its QPU did not answer for " + ASK_AGAIN_EVERY.multipliedBy(attempt).toSeconds()
                        + " s after an operator restart (" + u.why() + ")"));
                return;
            }
            Event e = qpuSays(job, answer instanceof QpuFleet.QpuAnswer.Known k ? k.status() : null);
            if (e != null) apply(e);
        } catch (RuntimeException e) {
            LOG.warnf(e, "asking the QPU of %s about %s again failed", backend, job);
        }
    }

    /**
     * Waits until the decisions made so far are carried out (every backend's lane included) and statuses written
     * (tests, shutdown). False when that took longer than {@code timeoutMillis}, e.g. behind a QPU that does not answer.
     */
    public boolean flush(long timeoutMillis) {
        long end = System.currentTimeMillis() + timeoutMillis;
        try {
            dispatch.submit(() -> { }).get(timeoutMillis, TimeUnit.MILLISECONDS);
            // The decision thread has handed out every QPU call decided so far; each lane is done once it reaches this.
            for (ExecutorService lane : lanes.values())
                lane.submit(() -> { }).get(Math.max(1, end - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            while (resultsInFlight.get() > 0) {
                if (System.currentTimeMillis() > end) return false;
                Thread.sleep(2);
            }
        } catch (Exception e) {
            return false;
        }
        return recorder.flush(Math.max(1, end - System.currentTimeMillis()));
    }

    /**
     * How many objects each per-object store of this operator keeps (benchmarks and tests: none may grow with the
     * number of deleted objects).
     */
    public Map<String, Integer> retainedObjects() {
        Scheduler s = scheduler();
        return Map.of("schedulerJobs", s.jobs().size(), "schedulerWorkloads", s.workloads().size(),
                "fleetJobs", fleet.trackedJobs(), "statusWriterObjects", recorder.cachedObjects(), "ledgerEntries", ledger.size());
    }

    /** A deleted job: nothing of it is kept (its name may be reused by a new object). */
    void forgetJob(String jobId) {
        fleet.forget(jobId);
        recorder.forget(StatusRecorder.Kind.JOB, jobId);
    }

    @Override
    public void close() {
        flush(5_000);
        fleet.disconnect(this);
        closed = true;
        timer.shutdownNow();
        dispatch.shutdownNow();
        try {
            dispatch.awaitTermination(1, TimeUnit.SECONDS); // it hands calls to lanes: stop it first
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // QPU calls already handed out were announced to the observers as carried out: let them finish (a start lost
        // here is started again by the next incarnation: two start decisions for one job), but not wait on a QPU that
        // does not answer: after 2 s its call is interrupted.
        lanes.values().forEach(ThreadPoolExecutor::shutdown);
        long end = System.currentTimeMillis() + 2_000;
        try {
            for (ThreadPoolExecutor lane : lanes.values())
                lane.awaitTermination(Math.max(1, end - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lanes.values().forEach(ThreadPoolExecutor::shutdownNow);
        resultSavers.shutdown();
        try {
            resultSavers.awaitTermination(Math.max(1, end - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        resultSavers.shutdownNow();
        recorder.close();
    }
}
