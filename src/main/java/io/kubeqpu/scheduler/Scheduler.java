package io.kubeqpu.scheduler;

import io.kubeqpu.scheduler.Decision.CalibrationFinished;
import io.kubeqpu.scheduler.Decision.EventRejected;
import io.kubeqpu.scheduler.Decision.JobPhaseChanged;
import io.kubeqpu.scheduler.Decision.LeaseAcquired;
import io.kubeqpu.scheduler.Decision.LeaseReleased;
import io.kubeqpu.scheduler.Decision.PrepareJob;
import io.kubeqpu.scheduler.Decision.StartCalibration;
import io.kubeqpu.scheduler.Decision.StartJob;
import io.kubeqpu.scheduler.Decision.StopJob;
import io.kubeqpu.scheduler.Decision.WorkloadPhaseChanged;
import io.kubeqpu.scheduler.Event.BackendAvailability;
import io.kubeqpu.scheduler.Event.BackendConfigured;
import io.kubeqpu.scheduler.Event.InstanceConfigured;
import io.kubeqpu.scheduler.Event.JobDeleted;
import io.kubeqpu.scheduler.Event.JobFailed;
import io.kubeqpu.scheduler.Event.JobFinished;
import io.kubeqpu.scheduler.Event.JobPreparationFailed;
import io.kubeqpu.scheduler.Event.JobPrepared;
import io.kubeqpu.scheduler.Event.JobSubmitted;
import io.kubeqpu.scheduler.Event.Tick;
import io.kubeqpu.scheduler.Event.WorkloadCancelled;
import io.kubeqpu.scheduler.Event.WorkloadClosed;
import io.kubeqpu.scheduler.Event.WorkloadCreated;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The execution-mode scheduler: events in, decisions out, on an injected clock.
 *
 * <p>Per backend, jobs flow: a queue (the normal fair-share queue, or the queue of the workload holding the
 * lease) → {@code staged} (selected, pre-processed in one of the backend's lanes) → running (one of
 * {@code parallelism} slots) → a terminal phase. Staging ahead is what lets a batch run back to back: the
 * next job is already prepared when a slot frees. Every method is synchronized; the scheduler is cheap
 * enough that a single lock is simpler and faster than anything finer.
 */
public final class Scheduler {
    /**
     * A staged job holds a pre-processing lane: if its QPU never answers (a report lost, a device restarted), it is
     * asked again after this long, and fails after {@link #PREPARE_ATTEMPTS} requests instead of blocking the lane.
     */
    public static final Duration PREPARE_TIMEOUT = Duration.ofMinutes(2);
    public static final int PREPARE_ATTEMPTS = 3;

    private final Clock clock;
    private final SchedulerConfig config;
    private final FairShare fairShare;
    private final Timers timers = new Timers();

    private final Map<String, BackendState> backends = new TreeMap<>();
    private final Map<String, InstanceState> instances = new TreeMap<>();
    private final Map<String, WorkloadState> workloads = new HashMap<>();
    private final Map<String, JobState> jobs = new HashMap<>();
    /** Workloads by the instance they name, so an instance's status never walks every workload. */
    private final Map<String, Set<WorkloadState>> workloadsOf = new HashMap<>();
    private final TreeSet<String> dirty = new TreeSet<>();

    private Instant now;
    private long nextSeq;
    /** What {@link #restore} had to leave out (malformed records): one bad object never stops the rest. */
    private final List<String> loadProblems = new ArrayList<>();
    private List<Decision> out = new ArrayList<>();
    /** Mean QPU seconds of finished jobs: the step used to predict queue order. */
    /** Mean quantum seconds per finished job, for fair share's prediction of the queue. */
    private final RunningMean meanJobSeconds = new RunningMean(1.0);

    public Scheduler(Clock clock, SchedulerConfig config) {
        this.clock = clock;
        this.config = config;
        this.now = clock.instant();
        this.fairShare = new FairShare(config.fairShareHalfLife(), now);
    }

    public Scheduler(Clock clock) {
        this(clock, SchedulerConfig.defaults());
    }

    // ------------------------------------------------------------------ entry points

    /** Applies one event at the clock's current instant, after firing every timer due before it. */
    public synchronized List<Decision> apply(Event event) {
        out = new ArrayList<>();
        advanceTo(clock.instant());
        try {
            handle(event);
        } catch (RuntimeException e) {
            // A bug must not stop scheduling for everyone: refuse the event, keep the state we have.
            out.add(new EventRejected(event, "InternalError", String.valueOf(e)));
        }
        settle();
        compactTimers();
        return out;
    }

    /**
     * Timers are not removed when what they watch ends early (a job's 3 h max-execution timer when it finishes in a
     * second): once stale ones outnumber the live objects, they are dropped in one pass, so the queue does not grow
     * with the number of finished or deleted jobs.
     */
    private void compactTimers() {
        int live = jobs.size() + workloads.size() + 2 * backends.size();
        if (timers.size() > 4096 && timers.size() > 4 * live) timers.retain(this::isLive);
    }

    /** Applies several events in order; the decisions of all of them, in order. */
    public synchronized List<Decision> applyAll(Collection<? extends Event> events) {
        List<Decision> all = new ArrayList<>();
        for (Event e : events) all.addAll(apply(e));
        return all;
    }

    /** The earliest instant at which a {@link Tick} would change something, if any. */
    public synchronized Optional<Instant> nextDeadline() {
        while (timers.peek() != null && !isLive(timers.peek())) timers.poll();
        return Optional.ofNullable(timers.peek()).map(Timers.Timer::at);
    }

    // ------------------------------------------------------------------ views

    public synchronized Optional<JobView> job(String id) {
        return Optional.ofNullable(jobs.get(id)).map(JobState::view);
    }

    public synchronized Optional<WorkloadView> workload(String id) {
        return Optional.ofNullable(workloads.get(id)).map(w -> w.view(now));
    }

    public synchronized Optional<BackendView> backend(String name) {
        return Optional.ofNullable(backends.get(name)).map(BackendState::view);
    }

    /** The backend's spec as the scheduler uses it, or null. */
    public synchronized BackendSpec backendSpec(String name) {
        BackendState b = backends.get(name);
        return b == null ? null : b.spec;
    }

    public synchronized Optional<InstanceView> instance(String name) {
        InstanceState i = instances.get(name);
        if (i == null) return Optional.empty();
        i.rollPeriod(now);
        return Optional.of(new InstanceView(name, i.periodUsage + activeSessionSeconds(name), i.periodStart,
                fairShare.decayed(i.scaledRecentUsage, now), i.queued, i.running, i.periodUsage, now));
    }

    public synchronized List<JobView> jobs() {
        return jobs.values().stream().map(JobState::view).toList();
    }

    /** Views of the queued jobs only: a metrics scrape does not build a view of every finished job. */
    public synchronized List<JobView> queuedJobs() {
        return jobs.values().stream().filter(j -> j.phase == JobPhase.QUEUED).map(JobState::view).toList();
    }

    /** How many of the instance's workloads are Active, counted without building views. */
    public synchronized int activeWorkloads(String instance) {
        int n = 0;
        for (WorkloadState w : workloadsOf.getOrDefault(instance, Set.of())) if (w.phase == WorkloadPhase.ACTIVE) n++;
        return n;
    }

    /** Mean wall-clock run time of the backend's completed jobs ({@link EstimatedStart#DEFAULT_MEAN_JOB_SECONDS} before any). */
    public synchronized double meanRunSeconds(String backend) {
        BackendState b = backends.get(backend);
        return b == null ? EstimatedStart.DEFAULT_MEAN_JOB_SECONDS : b.meanRunSeconds.value();
    }

    public synchronized List<WorkloadView> workloads() {
        return workloads.values().stream().map(w -> w.view(now)).toList();
    }

    /**
     * 1-based queue positions of the backend's queued jobs, in the order they are expected to start (see
     * {@link QueueSnapshot}). Walks the whole queue: a status writer takes a {@link #queueSnapshot} instead.
     */
    public Map<String, Integer> queuePositions(String backend) {
        return queueSnapshot(backend).positions();
    }

    /**
     * The backend's queue as it is now, to read positions and start estimates from without holding the scheduler's
     * lock: O(queued jobs on the backend) reference copies under it, nothing sorted.
     */
    public synchronized QueueSnapshot queueSnapshot(String backend) {
        BackendState b = backends.get(backend);
        if (b == null) return QueueSnapshot.empty(now);
        WorkloadState holder = b.leaseHolder;
        // Beside a batch the normal queue has every slot but the batch's one (DESIGN §3.3): interleaved.
        int interleave = holder == null || b.exclusivelyLeased() || b.spec.parallelism() == 1 ? 0 : b.spec.parallelism() - 1;
        return new QueueSnapshot(b.staged, holder, interleave, b.queue.snapshot(meanJobSeconds.value(), fairShare, now), now,
                b.meanRunSeconds.value(), b.spec.parallelism(), b.calibrating() ? b.calibratingUntil : null);
    }

    /** Timers waiting (tests: the queue does not grow with deleted jobs). */
    synchronized int pendingTimers() {
        return timers.size();
    }

    /** Records {@link #restore} skipped, with why. */
    public synchronized List<String> loadProblems() {
        return List.copyOf(loadProblems);
    }

    public synchronized Instant now() {
        return now;
    }

    // ------------------------------------------------------------------ snapshot and restore

    /** What a restarted scheduler needs; the operator keeps the same facts in the resources' statuses. */
    public synchronized SchedulerSnapshot snapshot() {
        var bs = backends.values().stream().map(b -> new SchedulerSnapshot.BackendRecord(
                b.spec, b.up, b.nextCalibrationAt, b.calibratingUntil, b.lastCalibrationAt)).toList();
        var is = instances.values().stream().map(i -> {
            i.rollPeriod(now);
            return new SchedulerSnapshot.InstanceRecord(i.spec, i.periodUsage, i.periodStart, fairShare.decayed(i.scaledRecentUsage, now), now);
        }).toList();
        var ws = workloads.values().stream().map(w -> new SchedulerSnapshot.WorkloadRecord(
                new WorkloadSpec(w.id(), w.spec.kind(), w.spec.instance(), w.spec.backend(), w.spec.maxTTL(),
                        w.spec.interactiveTTL(), w.acceptingJobs),
                w.phase, w.reason, w.message, w.leaseMode, w.leaseAcquiredAt, w.leaseReleasedAt, w.startedAt,
                w.lastJobCompletedAt, w.usageSeconds, w.leaseMode == null ? null : w.usageFrom)).toList();
        var js = jobs.values().stream().sorted(JobState.FIFO).map(j -> new SchedulerSnapshot.JobRecord(
                // A job of a deleted workload stays with that workload, not with one re-created under its name.
                new JobSpec(j.id, j.instance, j.backend, j.workload == null || workloads.get(j.workload.id()) != j.workload
                        ? null : j.workload.id(), 1,
                        j.maxExecutionTime, j.queuedAt),
                j.phase, j.reason, j.message, j.startedAt, j.completedAt, j.quantumSeconds, j.attempts, j.limitDeadline, j.seq)).toList();
        return new SchedulerSnapshot(bs, is, ws, js);
    }

    /**
     * Rebuilds a scheduler from a snapshot. Running jobs stay running (nothing is started twice), queued jobs
     * keep their FIFO place, leases stay with their holders, and deadlines follow from the stored anchors.
     * Deadlines that passed while nobody was watching fire on the first {@link #apply}.
     */
    public static Scheduler restore(Clock clock, SchedulerConfig config, SchedulerSnapshot snapshot) {
        Scheduler s = new Scheduler(clock, config);
        synchronized (s) {
            s.load(snapshot);
        }
        return s;
    }

    private void load(SchedulerSnapshot snap) {
        for (var r : snap.backends()) {
            BackendState b = new BackendState(r.spec(), now);
            b.up = r.up();
            b.nextCalibrationAt = r.nextCalibrationAt() != null || r.spec().calibrationInterval() == null
                    ? r.nextCalibrationAt() : now.plus(r.spec().calibrationInterval());
            b.calibratingUntil = r.calibratingUntil();
            b.lastCalibrationAt = r.lastCalibrationAt();
            backends.put(r.spec().name(), b);
            timers.add(b.nextCalibrationAt, Timers.Kind.CALIBRATION_DUE, b.name());
            timers.add(b.calibratingUntil, Timers.Kind.CALIBRATION_END, b.name());
        }
        for (var r : snap.instances()) {
            InstanceState i = new InstanceState(r.spec(), now);
            if (i.periodStart.equals(r.periodStart())) i.periodUsage = r.periodUsageSeconds();
            // Decayed from when it was written to now, as if the operator had been watching all along.
            Instant at = r.recentUsageAt() == null || r.recentUsageAt().isAfter(now) ? now : r.recentUsageAt();
            i.scaledRecentUsage = fairShare.scaled(r.recentUsageSeconds(), at);
            instances.put(r.spec().name(), i);
        }
        for (var r : snap.workloads()) {
            WorkloadSpec spec = r.spec();
            if (spec == null || spec.id() == null || spec.kind() == null || r.phase() == null) {
                loadProblems.add("workload record without id, kind or phase skipped");
                continue;
            }
            BackendState b = spec.backend() == null ? null : backends.get(spec.backend());
            Duration cap = b == null ? BackendSpec.DEFAULT_MAX_TTL : b.spec.maxTTL();
            WorkloadState w = new WorkloadState(spec, Durations.min(orDefault(spec.maxTTL(), config.defaultMaxTTL()), cap),
                    orDefault(spec.interactiveTTL(), config.defaultInteractiveTTL()));
            w.phase = r.phase();
            w.reason = r.reason();
            w.message = r.message();
            w.startedAt = r.startedAt();
            w.lastJobCompletedAt = r.lastJobCompletedAt();
            w.leaseReleasedAt = r.leaseReleasedAt();
            w.usageSeconds = r.usageSeconds();
            if (r.leaseMode() != null && w.phase == WorkloadPhase.ACTIVE && b != null && b.leaseHolder == null) {
                w.leaseMode = r.leaseMode();
                w.leaseAcquiredAt = r.leaseAcquiredAt();
                w.usageFrom = r.usageFrom();
                b.leaseHolder = w;
            } else if (w.phase == WorkloadPhase.ACTIVE) {
                // Active without a lease cannot be: treat it as inactive so that its next job re-enters the queue.
                w.phase = WorkloadPhase.INACTIVE;
            }
            remember(w);
            if (!w.phase.isTerminal()) timers.add(w.maxTTLDeadline(), Timers.Kind.WORKLOAD_MAX_TTL, w.id());
        }
        for (var r : snap.jobs().stream().sorted(java.util.Comparator
                .comparing((SchedulerSnapshot.JobRecord r) -> r.spec() == null ? null : r.spec().submittedAt(),
                        java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()))
                .thenComparing(SchedulerSnapshot.JobRecord::arrival, java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()))
                .thenComparing(r -> r.spec() == null ? "" : String.valueOf(r.spec().id()))).toList()) {
            JobSpec spec = r.spec();
            if (spec == null || spec.id() == null || r.phase() == null) {
                loadProblems.add("job record without id or phase skipped");
                continue;
            }
            WorkloadState w = spec.workload() == null ? null : workloads.get(spec.workload());
            // The arrival order it had (kept in status); new arrivals continue after the highest one restored.
            long seq = r.arrival() != null ? r.arrival() : nextSeq;
            nextSeq = Math.max(nextSeq, seq + 1);
            JobState j = new JobState(spec.id(), seq, spec.instance(), spec.backend(), w,
                    orDefault(spec.maxExecutionTime(), config.defaultMaxExecutionTime()), spec.submittedAt());
            j.reason = r.reason();
            j.message = r.message();
            j.attempts = r.attempts();
            j.quantumSeconds = r.quantumSeconds();
            j.completedAt = r.completedAt();
            j.startedAt = r.startedAt(); // a finished job keeps when it ran (its status shows it)
            jobs.put(j.id, j);
            if (w != null) w.addJob(j);
            // A job whose backend, instance or workload no longer exists (or never did) is kept as it ended.
            BackendState b = spec.backend() == null ? null : backends.get(spec.backend());
            InstanceState i = spec.instance() == null ? null : instances.get(spec.instance());
            if (r.phase() == JobPhase.COMPLETED && b != null && j.startedAt != null && j.completedAt != null)
                b.meanRunSeconds.add(Durations.seconds(Duration.between(j.startedAt, j.completedAt)));
            if (r.phase().isTerminal() || b == null || i == null) {
                j.setPhase(r.phase().isTerminal() ? r.phase() : JobPhase.FAILED);
                continue;
            }
            if (w != null) w.unfinished++;
            if (r.phase() == JobPhase.RUNNING) {
                j.setPhase(JobPhase.RUNNING);
                j.startedAt = r.startedAt();
                j.place = JobState.Place.RUNNING;
                j.limitDeadline = r.stopAt();
                b.running.add(j);
                i.running++;
                timers.add(j.maxExecutionDeadline(), Timers.Kind.JOB_MAX_EXECUTION, j.id);
                timers.add(j.limitDeadline, Timers.Kind.JOB_USAGE_LIMIT, j.id);
            } else {
                i.queued++;
                putInQueue(j, b);
            }
        }
        for (WorkloadState w : workloads.values()) timers.add(w.interactiveDeadline(), Timers.Kind.WORKLOAD_INTERACTIVE, w.id());
        dirty.addAll(backends.keySet());
    }

    // ------------------------------------------------------------------ time

    private void advanceTo(Instant target) {
        Timers.Timer t;
        while ((t = timers.peek()) != null && !t.at().isAfter(target)) {
            timers.poll();
            if (t.at().isAfter(now)) now = t.at();
            fire(t);
            settle();
        }
        if (target.isAfter(now)) now = target;
    }

    private boolean isLive(Timers.Timer t) {
        return switch (t.kind()) {
            case JOB_MAX_EXECUTION -> {
                JobState j = jobs.get(t.target());
                yield j != null && j.phase == JobPhase.RUNNING && t.at().equals(j.maxExecutionDeadline());
            }
            case JOB_USAGE_LIMIT -> {
                JobState j = jobs.get(t.target());
                yield j != null && j.phase == JobPhase.RUNNING && t.at().equals(j.limitDeadline);
            }
            case JOB_PREPARE -> {
                JobState j = jobs.get(t.target());
                yield j != null && j.phase == JobPhase.QUEUED && j.preparing && t.at().equals(j.prepareDeadline);
            }
            case WORKLOAD_MAX_TTL -> {
                WorkloadState w = workloads.get(t.target());
                yield w != null && !w.phase.isTerminal() && t.at().equals(w.maxTTLDeadline());
            }
            case WORKLOAD_INTERACTIVE -> {
                WorkloadState w = workloads.get(t.target());
                yield w != null && t.at().equals(w.interactiveDeadline());
            }
            case CALIBRATION_DUE -> {
                BackendState b = backends.get(t.target());
                yield b != null && t.at().equals(b.nextCalibrationAt) && !b.calibrating();
            }
            case CALIBRATION_END -> {
                BackendState b = backends.get(t.target());
                yield b != null && t.at().equals(b.calibratingUntil);
            }
        };
    }

    private void fire(Timers.Timer t) {
        if (!isLive(t)) return;
        switch (t.kind()) {
            case JOB_MAX_EXECUTION -> stopRunning(jobs.get(t.target()), JobPhase.CANCELLED,
                    Reasons.MAX_EXECUTION_TIME_EXCEEDED, "job ran past its maxExecutionTime of "
                            + Durations.format(jobs.get(t.target()).maxExecutionTime));
            case JOB_USAGE_LIMIT -> stopRunning(jobs.get(t.target()), JobPhase.CANCELLED, Reasons.USAGE_LIMIT_EXCEEDED,
                    "stopped at instance " + display(jobs.get(t.target()).instance) + "'s usage limit");
            case JOB_PREPARE -> prepareOverdue(jobs.get(t.target()));
            case WORKLOAD_MAX_TTL -> expire(workloads.get(t.target()));
            case WORKLOAD_INTERACTIVE -> deactivate(workloads.get(t.target()));
            case CALIBRATION_DUE -> dirty.add(t.target());
            case CALIBRATION_END -> endCalibration(backends.get(t.target()));
        }
    }

    // ------------------------------------------------------------------ events

    private void handle(Event event) {
        // Java 17: no pattern matching in switch yet, hence the chain.
        if (event instanceof BackendConfigured e) configureBackend(e);
        else if (event instanceof BackendAvailability e) availability(e);
        else if (event instanceof InstanceConfigured e) configureInstance(e);
        else if (event instanceof Event.BackendDeleted e) deleteBackend(e);
        else if (event instanceof Event.InstanceDeleted e) deleteInstance(e);
        else if (event instanceof WorkloadCreated e) createWorkload(e);
        else if (event instanceof WorkloadClosed e) closeWorkload(e);
        else if (event instanceof Event.WorkloadHeld e) hold(e);
        else if (event instanceof WorkloadCancelled e) cancelWorkload(e);
        else if (event instanceof JobSubmitted e) submit(e);
        else if (event instanceof Event.JobRefused e) refuse(e);
        else if (event instanceof Event.InstanceDeleted e) deleteInstance(e);
        else if (event instanceof Event.JobResultLost e) resultLost(e);
        else if (event instanceof JobPrepared e) prepared(e);
        else if (event instanceof JobPreparationFailed e) preparationFailed(e);
        else if (event instanceof JobFinished e) finished(e.job(), e, JobPhase.COMPLETED, null, null, e.quantumSeconds());
        else if (event instanceof JobFailed e)
            finished(e.job(), e, JobPhase.FAILED, orDefault(e.reason(), Reasons.EXECUTION_FAILED), e.message(), e.quantumSeconds());
        else if (event instanceof JobDeleted e) deleteJob(e);
        else if (event instanceof Event.JobLost e) lost(e);
        else if (event == null) throw new IllegalArgumentException("event is null");
        // Tick: nothing beyond the timers already fired.
    }

    private void configureBackend(BackendConfigured e) {
        BackendSpec spec = e.spec();
        String problem = spec == null ? "backend spec is missing" : spec.problem();
        if (problem != null) {
            reject(e, Reasons.INVALID_SPEC, problem);
            return;
        }
        BackendState b = backends.get(spec.name());
        if (b == null) {
            b = new BackendState(spec, now);
            backends.put(spec.name(), b);
        } else {
            boolean calibrationChanged = !java.util.Objects.equals(b.spec.calibrationInterval(), spec.calibrationInterval());
            b.spec = spec;
            if (calibrationChanged && !b.calibrating()) {
                Instant from = b.lastCalibrationAt == null ? now : b.lastCalibrationAt;
                b.nextCalibrationAt = spec.calibrationInterval() == null ? null : from.plus(spec.calibrationInterval());
            }
        }
        timers.add(b.nextCalibrationAt, Timers.Kind.CALIBRATION_DUE, spec.name());
        dirty.add(spec.name());
    }

    private void availability(BackendAvailability e) {
        BackendState b = backends.get(e.backend());
        if (b == null) {
            reject(e, Reasons.UNKNOWN_BACKEND, "no backend named " + e.backend());
            return;
        }
        if (b.up == e.up()) return;
        b.up = e.up();
        if (!b.up) {
            String why = "backend " + b.name() + " became unavailable" + (e.message() == null ? "" : ": " + e.message());
            for (JobState j : new ArrayList<>(b.running)) {
                if (j.workload != null && j.workload.phase.isTerminal())
                    terminate(j, JobPhase.FAILED, Reasons.BACKEND_UNAVAILABLE, why + "; not retried: its " + kindOf(j.workload)
                            + " is " + j.workload.phase.name().toLowerCase());
                else if (j.attempts < 2) requeue(j, b, why + "; retrying once");
                else terminate(j, JobPhase.FAILED, Reasons.BACKEND_UNAVAILABLE, why + " on its second attempt");
            }
            if (b.calibrating()) endCalibration(b);
            // Whatever the QPU had prepared may be gone with it: prepare again once it is back.
            for (JobState j : jobs.values()) {
                if (j.phase == JobPhase.QUEUED && b.name().equals(j.backend)) {
                    j.prepared = false;
                    j.preparing = false;
                }
            }
            b.preparing = 0;
        }
        dirty.add(b.name());
    }

    private void configureInstance(InstanceConfigured e) {
        InstanceSpec spec = e.spec();
        String problem = spec == null ? "instance spec is missing" : spec.problem();
        if (problem != null) {
            reject(e, Reasons.INVALID_SPEC, problem);
            return;
        }
        InstanceState i = instances.get(spec.name());
        if (i == null || i.deleted && i.running == 0) {
            // New, or re-created under the name of a deleted one: a new account starts with nothing used.
            instances.put(spec.name(), new InstanceState(spec, now));
            return;
        }
        i.deleted = false;
        Double before = i.limit();
        i.spec = spec;
        i.rollPeriod(now);
        for (BackendState b : backends.values()) b.queue.reorder(i);
        if (i.remaining(now, activeSessionSeconds(i.spec.name())) <= 0) failOverLimit(i);
        if (i.limit() != null && (before == null || i.limit() < before))
            stopAtLimit(i, "instance " + i.spec.name() + "'s usage limit was lowered to " + i.limit() + " quantum seconds");
        dirty.addAll(backends.keySet());
    }

    private void deleteBackend(Event.BackendDeleted e) {
        BackendState b = backends.get(e.backend());
        if (b == null) {
            reject(e, Reasons.UNKNOWN_BACKEND, "no backend named " + e.backend());
            return;
        }
        String msg = "QuantumBackend " + b.name() + " was deleted";
        for (WorkloadState w : workloads.values())
            if (b.name().equals(w.spec.backend()) && !w.phase.isTerminal()) {
                w.acceptingJobs = false;
                endWorkload(w, WorkloadPhase.CANCELLED, Reasons.BACKEND_DELETED, msg);
            }
        for (JobState j : new ArrayList<>(jobs.values())) {
            if (!b.name().equals(j.backend)) continue;
            if (j.phase == JobPhase.RUNNING) stopRunning(j, JobPhase.FAILED, Reasons.BACKEND_DELETED, msg);
            else if (j.phase == JobPhase.QUEUED) terminate(j, JobPhase.FAILED, Reasons.BACKEND_DELETED, msg);
        }
        backends.remove(b.name());
    }

    /**
     * A lowered limit holds for jobs already running too: each is stopped when the instance's remaining quantum seconds
     * (shared among them) run out, at once when none remain.
     */
    private void stopAtLimit(InstanceState i, String why) {
        List<JobState> running = new ArrayList<>();
        for (BackendState b : backends.values())
            for (JobState j : b.running) if (i.spec.name().equals(j.instance)) running.add(j);
        if (running.isEmpty()) return;
        double remaining = i.remaining(now, activeSessionSeconds(i.spec.name()) + uncharged(i.spec.name()));
        for (JobState j : running) {
            if (remaining <= 0) {
                stopRunning(j, JobPhase.CANCELLED, Reasons.USAGE_LIMIT_EXCEEDED, "stopped: " + why + " and it is used up");
            } else {
                Instant at = now.plus(Durations.ofSeconds(remaining / running.size()));
                if (j.limitDeadline == null || at.isBefore(j.limitDeadline)) {
                    j.limitDeadline = at;
                    timers.add(j.limitDeadline, Timers.Kind.JOB_USAGE_LIMIT, j.id);
                }
            }
        }
    }

    private void deleteInstance(Event.InstanceDeleted e) {
        InstanceState i = instances.get(e.instance());
        if (i == null) {
            reject(e, Reasons.UNKNOWN_INSTANCE, "no instance named " + e.instance());
            return;
        }
        String msg = "QuantumInstance " + display(e.instance()) + " was deleted";
        for (JobState j : new ArrayList<>(jobs.values())) {
            if (!e.instance().equals(j.instance)) continue;
            // Its time is no longer anyone's to bill: stopped without a charge.
            if (j.phase == JobPhase.RUNNING) {
                out.add(new StopJob(j.id, j.backend, Reasons.UNKNOWN_INSTANCE));
                j.quantumSeconds = 0;
                terminate(j, JobPhase.FAILED, Reasons.UNKNOWN_INSTANCE, msg);
            } else if (j.phase == JobPhase.QUEUED) {
                terminate(j, JobPhase.FAILED, Reasons.UNKNOWN_INSTANCE, msg);
            }
        }
        instances.remove(e.instance());
        for (BackendState b : backends.values()) dirty.add(b.name());
    }

    private void createWorkload(WorkloadCreated e) {
        WorkloadSpec spec = e.spec();
        if (spec == null || spec.id() == null || spec.kind() == null) {
            reject(e, Reasons.INVALID_SPEC, "workload id and kind are required");
            return;
        }
        if (workloads.containsKey(spec.id())) {
            reject(e, Reasons.DUPLICATE, "workload " + spec.id() + " already exists");
            return;
        }
        BackendState b = spec.backend() == null ? null : backends.get(spec.backend());
        Duration cap = b == null ? BackendSpec.DEFAULT_MAX_TTL : b.spec.maxTTL();
        Duration maxTTL = Durations.min(orDefault(spec.maxTTL(), config.defaultMaxTTL()), cap);
        Duration interactive = orDefault(spec.interactiveTTL(), config.defaultInteractiveTTL());
        WorkloadState w = new WorkloadState(spec, maxTTL, interactive);
        remember(w);
        InstanceState i = spec.instance() == null ? null : instances.get(spec.instance());
        String kind = spec.kind().name().toLowerCase();
        if (!Durations.positive(spec.maxTTL() == null ? maxTTL : spec.maxTTL())
                || !Durations.positive(spec.interactiveTTL() == null ? interactive : spec.interactiveTTL()))
            rejectWorkload(w, Reasons.INVALID_SPEC, "maxTTL and interactiveTTL must be > 0");
        else if (b == null) rejectWorkload(w, Reasons.UNKNOWN_BACKEND, "no backend named " + spec.backend());
        else if (i == null) rejectWorkload(w, Reasons.UNKNOWN_INSTANCE, "no instance named " + display(spec.instance()));
        else if (!i.spec.allows(spec.backend()))
            rejectWorkload(w, Reasons.BACKEND_NOT_ALLOWED, "instance " + display(i.spec.name()) + " may not use backend " + spec.backend());
        else if (spec.kind() == WorkloadKind.SESSION && i.spec.plan() == Plan.OPEN)
            rejectWorkload(w, Reasons.PLAN_NOT_ALLOWED, "instance " + display(i.spec.name()) + " is on the open plan, which cannot run sessions");
        else if (!w.acceptingJobs)
            closeIfDone(w, kind + " created closed, with no jobs");
    }

    private void closeWorkload(WorkloadClosed e) {
        WorkloadState w = workloads.get(e.workload());
        if (w == null) {
            reject(e, Reasons.UNKNOWN_WORKLOAD, "no workload named " + e.workload());
            return;
        }
        // Closing again is harmless and needed: a restored workload is already closed (its spec says so) but may
        // have no job left, and only this event makes it Closed.
        w.acceptingJobs = false;
        closeIfDone(w, "closed and no job is left");
    }

    private void hold(Event.WorkloadHeld e) {
        WorkloadState w = workloads.get(e.workload());
        if (w == null) {
            reject(e, Reasons.UNKNOWN_WORKLOAD, "no workload named " + e.workload());
            return;
        }
        if (w.held == e.held()) return;
        w.held = e.held();
        BackendState b = backends.get(w.spec.backend());
        if (b == null) return;
        if (w.held) {
            for (JobState j : new ArrayList<>(w.jobs)) {
                if (j.place == JobState.Place.NORMAL_QUEUE) {
                    b.queue.remove(j);
                    putInQueue(j, b);
                }
            }
        } else if (!w.holdsLease()) {
            for (JobState j : new ArrayList<>(w.queue)) {
                w.queue.remove(j);
                putInQueue(j, b);
            }
        }
        dirty.add(b.name());
    }

    private void cancelWorkload(WorkloadCancelled e) {
        WorkloadState w = workloads.get(e.workload());
        if (w == null) {
            reject(e, Reasons.UNKNOWN_WORKLOAD, "no workload named " + e.workload());
            return;
        }
        w.acceptingJobs = false;
        String msg = kindOf(w) + " " + display(w.id()) + " was deleted";
        // Phase first, so that ending its last job does not close it on the way.
        if (!w.phase.isTerminal()) endWorkload(w, WorkloadPhase.CANCELLED, Reasons.WORKLOAD_CANCELLED, msg);
        for (JobState j : new ArrayList<>(w.jobs)) {
            if (j.phase == JobPhase.RUNNING) stopRunning(j, JobPhase.CANCELLED, Reasons.WORKLOAD_CANCELLED, msg);
            else if (j.phase == JobPhase.QUEUED) terminate(j, JobPhase.CANCELLED, Reasons.WORKLOAD_CANCELLED, msg);
        }
        // Forgotten: its object is gone, and a workload re-created under its name is a new one (GitOps replace).
        forget(w);
    }

    private void submit(JobSubmitted e) {
        JobSpec spec = e.spec();
        if (spec == null || spec.id() == null) {
            reject(e, Reasons.INVALID_SPEC, "job id is required");
            return;
        }
        if (jobs.containsKey(spec.id())) {
            reject(e, Reasons.DUPLICATE, "job " + spec.id() + " was already submitted");
            return;
        }
        WorkloadState w = spec.workload() == null ? null : workloads.get(spec.workload());
        String backend = spec.backend() != null ? spec.backend() : w == null ? null : w.spec.backend();
        String instance = spec.instance() != null ? spec.instance() : w == null ? null : w.spec.instance();
        BackendState b = backend == null ? null : backends.get(backend);
        Duration cap = b == null ? config.defaultMaxExecutionTime() : b.spec.maxExecutionTime();
        Duration maxExec = Durations.min(orDefault(spec.maxExecutionTime(), config.defaultMaxExecutionTime()), cap);
        Instant queuedAt = spec.submittedAt() == null ? now : spec.submittedAt();
        JobState j = new JobState(spec.id(), nextSeq++, instance, backend, w, maxExec, queuedAt);
        jobs.put(j.id, j);
        if (w != null) w.addJob(j);

        InstanceState i = instance == null ? null : instances.get(instance);
        if (i != null && i.deleted) i = null;
        if (spec.workload() != null && w == null)
            terminate(j, JobPhase.FAILED, Reasons.UNKNOWN_WORKLOAD, "no " + (spec.workload().startsWith("session:") ? "session" : spec.workload().startsWith("batch:") ? "batch" : "batch or session") + " named " + display(spec.workload()));
        else if (spec.maxExecutionTime() != null && !Durations.positive(spec.maxExecutionTime()))
            terminate(j, JobPhase.FAILED, Reasons.INVALID_SPEC, "maxExecutionTime must be > 0");
        else if (spec.shots() <= 0)
            terminate(j, JobPhase.FAILED, Reasons.INVALID_SPEC, "shots must be > 0, got " + spec.shots());
        else if (backend == null || b == null)
            terminate(j, JobPhase.FAILED, Reasons.UNKNOWN_BACKEND, "no backend named " + backend);
        else if (i == null)
            terminate(j, JobPhase.FAILED, Reasons.UNKNOWN_INSTANCE, "no instance named " + display(instance));
        else if (w != null && !backend.equals(w.spec.backend()))
            terminate(j, JobPhase.FAILED, Reasons.BACKEND_MISMATCH,
                    "job names backend " + backend + " but its " + kindOf(w) + " runs on " + w.spec.backend());
        else if (w != null && !instance.equals(w.spec.instance()))
            terminate(j, JobPhase.FAILED, Reasons.INSTANCE_MISMATCH,
                    "job names instance " + display(instance) + " but its " + kindOf(w) + " belongs to " + display(w.spec.instance()));
        else if (!i.spec.allows(backend))
            terminate(j, JobPhase.FAILED, Reasons.BACKEND_NOT_ALLOWED, "instance " + display(instance) + " may not use backend " + backend);
        else if (w != null && w.phase == WorkloadPhase.REJECTED)
            terminate(j, JobPhase.FAILED, Reasons.WORKLOAD_REJECTED, kindOf(w) + " " + display(w.id()) + " was rejected: " + w.message);
        else if (w != null && w.phase == WorkloadPhase.EXPIRED)
            terminate(j, JobPhase.FAILED, Reasons.MAX_TTL_EXPIRED, kindOf(w) + " " + display(w.id()) + " reached its max TTL of " + Durations.format(w.maxTTL));
        else if (w != null && (!w.acceptingJobs || w.phase.isTerminal()))
            terminate(j, JobPhase.FAILED, Reasons.WORKLOAD_CLOSED, kindOf(w) + " " + display(w.id()) + " is not accepting jobs");
        else if (i.remaining(now, activeSessionSeconds(instance)) <= 0)
            terminate(j, JobPhase.FAILED, Reasons.USAGE_LIMIT_EXCEEDED, usageLimitMessage(i));
        else {
            i.queued++;
            if (w != null) w.unfinished++;
            enqueue(j, b);
            out.add(new JobPhaseChanged(j.id, JobPhase.QUEUED, null, null));
        }
    }

    private void refuse(Event.JobRefused e) {
        JobSpec spec = e.spec();
        if (spec == null || spec.id() == null || jobs.containsKey(spec.id())) {
            reject(e, Reasons.DUPLICATE, "job " + (spec == null ? null : spec.id()) + " is already known");
            return;
        }
        WorkloadState w = spec.workload() == null ? null : workloads.get(spec.workload());
        String backend = spec.backend() != null ? spec.backend() : w == null ? null : w.spec.backend();
        String instance = spec.instance() != null ? spec.instance() : w == null ? null : w.spec.instance();
        JobState j = new JobState(spec.id(), nextSeq++, instance, backend, w,
                orDefault(spec.maxExecutionTime(), config.defaultMaxExecutionTime()),
                spec.submittedAt() == null ? now : spec.submittedAt());
        jobs.put(j.id, j);
        if (w != null) w.addJob(j);
        terminate(j, JobPhase.FAILED, e.reason(), e.message());
    }

    /** Completed → Failed, its QPU time taken back from its instance and batch (it was charged when it finished). */
    private void resultLost(Event.JobResultLost e) {
        JobState j = jobs.get(e.job());
        if (j == null || j.phase != JobPhase.COMPLETED) {
            reject(e, Reasons.UNKNOWN_OBJECT, "no completed job named " + e.job());
            return;
        }
        InstanceState i = j.instance == null ? null : instances.get(j.instance);
        WorkloadState w = j.workload;
        double seconds = j.quantumSeconds;
        if (w == null || w.spec.kind() == WorkloadKind.BATCH) {
            // A session's jobs are billed by its lease's wall clock, which ran all the same.
            if (w != null) w.usageSeconds = Math.max(0, w.usageSeconds - seconds);
            if (i != null && j.completedAt != null && i.periodStartFor(j.completedAt).equals(i.periodStart))
                i.periodUsage = Math.max(0, i.periodUsage - seconds);
            j.quantumSeconds = 0;
        }
        j.setPhase(JobPhase.FAILED);
        j.reason = e.reason();
        j.message = e.message();
        out.add(new JobPhaseChanged(j.id, JobPhase.FAILED, j.reason, j.message));
    }

    private void prepared(JobPrepared e) {
        JobState j = jobs.get(e.job());
        if (j == null || j.phase != JobPhase.QUEUED) {
            reject(e, Reasons.UNKNOWN_OBJECT, "no queued job named " + e.job());
            return;
        }
        if (e.quantumSeconds() != null) {
            // The timing model knows the job's QPU time before it starts: one that cannot end within its
            // maxExecutionTime would only hold a slot and be billed until it is cancelled.
            double run = e.quantumSeconds() * e.timeScale();
            if (!(run <= Durations.seconds(j.maxExecutionTime))) {
                terminate(j, JobPhase.FAILED, Reasons.MAX_EXECUTION_TIME_EXCEEDED, String.format(java.util.Locale.ROOT,
                        "the timing model puts this job at %.4g quantum seconds%s, above its maxExecutionTime of %s: not started",
                        e.quantumSeconds(), e.timeScale() == 1.0 ? ""
                                : String.format(java.util.Locale.ROOT, " (%.4g s on this backend's time scale %s)", run, e.timeScale()),
                        Durations.format(j.maxExecutionTime)));
                return;
            }
        }
        if (j.preparing) backends.get(j.backend).preparing--;
        j.preparing = false;
        j.prepared = true;
        dirty.add(j.backend);
    }

    private void preparationFailed(JobPreparationFailed e) {
        JobState j = jobs.get(e.job());
        if (j == null || j.phase != JobPhase.QUEUED) {
            reject(e, Reasons.UNKNOWN_OBJECT, "no queued job named " + e.job());
            return;
        }
        terminate(j, JobPhase.FAILED, orDefault(e.reason(), Reasons.PREPARATION_FAILED), e.message());
    }

    private void finished(String id, Event e, JobPhase phase, String reason, String message, double quantumSeconds) {
        JobState j = jobs.get(id);
        if (j == null || j.phase != JobPhase.RUNNING) {
            // A late or repeated report (e.g. after a cancel): never count a job twice.
            reject(e, Reasons.UNKNOWN_OBJECT, "no running job named " + id);
            return;
        }
        j.quantumSeconds = Math.max(0, quantumSeconds);
        charge(j, j.quantumSeconds);
        BackendState b = backends.get(j.backend);
        if (phase == JobPhase.COMPLETED && b != null && j.startedAt != null)
            b.meanRunSeconds.add(Durations.seconds(Duration.between(j.startedAt, now)));
        terminate(j, phase, reason, message);
    }

    private void lost(Event.JobLost e) {
        JobState j = jobs.get(e.job());
        if (j == null || j.phase != JobPhase.RUNNING) {
            reject(e, Reasons.UNKNOWN_OBJECT, "no running job named " + e.job());
            return;
        }
        String why = "the QPU lost the job" + (e.message() == null ? "" : ": " + e.message());
        if (j.attempts < 2 && (j.workload == null || !j.workload.phase.isTerminal()))
            requeue(j, backends.get(j.backend), why + "; retrying once");
        else terminate(j, JobPhase.FAILED, Reasons.BACKEND_UNAVAILABLE, why);
    }

    private void deleteJob(JobDeleted e) {
        JobState j = jobs.get(e.job());
        if (j == null) {
            reject(e, Reasons.UNKNOWN_OBJECT, "no job named " + e.job());
            return;
        }
        if (j.phase == JobPhase.RUNNING) stopRunning(j, JobPhase.CANCELLED, Reasons.JOB_DELETED, "job was deleted");
        else if (j.phase == JobPhase.QUEUED) terminate(j, JobPhase.CANCELLED, Reasons.JOB_DELETED, "job was deleted");
        jobs.remove(j.id);
        if (j.workload != null) {
            j.workload.removeJob(j);
            touch(j.workload);
        }
    }

    // ------------------------------------------------------------------ the scheduling loop

    private void settle() {
        while (!dirty.isEmpty()) {
            String name = dirty.pollFirst();
            BackendState b = backends.get(name);
            if (b != null) fill(b);
        }
    }

    /** Starts what can start on the backend, stages what should be prepared next, calibrates when due. */
    private void fill(BackendState b) {
        markDrained(b);
        if (!b.up) return;
        boolean progress = true;
        while (progress) {
            progress = startCalibrationIfDue(b) || startNext(b) || stageNext(b);
        }
        prepareStaged(b);
    }

    /**
     * Requests pre-processing of staged jobs, as many as there are free lanes, in the order the slots will need them:
     * a batch's job for its turn (none of its jobs running or prepared), then single jobs (beside a batch they wait
     * for the slots it leaves them), then the lease holder's look-ahead. Staged order alone let a batch's look-ahead
     * fill every lane while a slot stood free for a single job that was not prepared.
     */
    private void prepareStaged(BackendState b) {
        WorkloadState holder = b.leaseHolder;
        boolean turn = holder != null && b.running.stream().noneMatch(r -> r.workload == holder)
                && b.staged.stream().noneMatch(j -> j.workload == holder && (j.prepared || j.preparing));
        for (int pass = 0; pass < 3; pass++) {
            for (JobState j : b.staged) {
                if (b.preparing >= b.spec.preprocessingLanes()) return;
                boolean ofHolder = j.workload != null;
                if (j.prepared || j.preparing || (pass == 1 ? ofHolder : !ofHolder || pass == 0 && !turn)) continue;
                j.preparing = true;
                b.preparing++;
                j.prepareRequests = 0;
                requestPreparation(j, b);
                if (pass == 0) turn = false;
            }
        }
    }

    /** A session's usage starts when the backend is its own: no other instance's job runs on it any more. */
    private void markDrained(BackendState b) {
        WorkloadState w = b.leaseHolder;
        if (w == null || w.usageFrom != null || w.spec.kind() != WorkloadKind.SESSION) return;
        for (JobState j : b.running) if (j.workload != w) return;
        w.usageFrom = now;
    }

    private void requestPreparation(JobState j, BackendState b) {
        j.prepareRequests++;
        j.prepareDeadline = now.plus(PREPARE_TIMEOUT);
        timers.add(j.prepareDeadline, Timers.Kind.JOB_PREPARE, j.id);
        out.add(new PrepareJob(j.id, b.name()));
    }

    /** The QPU did not answer a preparation in time: ask again (its answer is idempotent), then give up. */
    private void prepareOverdue(JobState j) {
        BackendState b = backends.get(j.backend);
        if (b == null) return;
        if (j.prepareRequests < PREPARE_ATTEMPTS) {
            requestPreparation(j, b);
            return;
        }
        terminate(j, JobPhase.FAILED, Reasons.PREPARATION_FAILED, "the QPU of " + b.name() + " did not finish pre-processing it: asked "
                + j.prepareRequests + " times, " + PREPARE_TIMEOUT.toMinutes() + " min apart");
    }

    private boolean startCalibrationIfDue(BackendState b) {
        if (!b.calibrationPending(now) || !b.running.isEmpty()) return false;
        b.calibratingUntil = now.plus(b.spec.calibrationDuration());
        b.lastCalibrationAt = now;
        out.add(new StartCalibration(b.name(), b.calibratingUntil));
        timers.add(b.calibratingUntil, Timers.Kind.CALIBRATION_END, b.name());
        return true;
    }

    private void endCalibration(BackendState b) {
        b.calibratingUntil = null;
        b.nextCalibrationAt = b.spec.calibrationInterval() == null ? null : now.plus(b.spec.calibrationInterval());
        timers.add(b.nextCalibrationAt, Timers.Kind.CALIBRATION_DUE, b.name());
        out.add(new CalibrationFinished(b.name()));
        dirty.add(b.name());
    }

    /** Starts the first prepared staged job that may run now; false when none can. */
    private boolean startNext(BackendState b) {
        if (b.running.size() >= b.spec.parallelism() || b.calibrating() || b.calibrationPending(now)) return false;
        WorkloadState holder = b.leaseHolder;
        boolean exclusive = b.exclusivelyLeased();
        // An exclusive lease waits for jobs that are not the session's to drain.
        if (exclusive && b.running.stream().anyMatch(r -> r.workload != holder)) return false;
        if (holder != null && !exclusive) return startBesideBatch(b, holder);
        // Staged order is selection order: a job still being prepared holds back those behind it, except
        // jobs of its own batch, which have no order among themselves (DESIGN §3.3). A session's jobs start in
        // arrival order (§3.11): one still being prepared holds back the session's later ones.
        WorkloadState waitingFor = null;
        boolean blocked = false;
        for (JobState j : b.staged) {
            if (blocked && (waitingFor == null || j.workload != waitingFor || waitingFor.spec.kind() == WorkloadKind.SESSION)) break;
            if (!j.prepared) {
                if (!blocked) waitingFor = j.workload;
                blocked = true;
                continue;
            }
            if (exclusive && j.workload != holder) continue;
            InstanceState i = instances.get(j.instance);
            if (i.remaining(now, activeSessionSeconds(j.instance)) <= 0) {
                failOverLimit(i);
                return true;
            }
            start(j, b);
            return true;
        }
        return false;
    }

    /**
     * A batch holding the backend's shared lease runs as one stream of quick succession beside the normal queue
     * (DESIGN §3.3): it always keeps one slot (with none of its jobs running, the next free slot is its, before any
     * single job behind it in fair share), and takes a further slot only while no single job waits. Single jobs start
     * in staged (selection) order: one still being prepared holds back those behind it.
     */
    private boolean startBesideBatch(BackendState b, WorkloadState batch) {
        JobState batchJob = null, single = null;
        boolean batchStaged = false, singleStaged = false;
        for (JobState j : b.staged) {
            if (j.workload == batch) {
                batchStaged = true;
                if (batchJob == null && j.prepared) batchJob = j; // no order among a batch's jobs
            } else if (!singleStaged) {
                singleStaged = true;
                if (j.prepared) single = j;
            }
        }
        boolean batchRuns = false;
        for (JobState r : b.running) {
            if (r.workload == batch) {
                batchRuns = true;
                break;
            }
        }
        JobState next;
        if (!batchRuns && batchJob != null) next = batchJob; // its turn
        else if (single != null && (batchRuns || !batchStaged && batch.queue.isEmpty()
                || b.spec.parallelism() - b.running.size() > 1)) next = single; // a slot not kept for the batch's turn
        else if (batchJob != null && !singleStaged && !b.queue.hasSingleJobs()) next = batchJob; // nobody else waits
        else return false;
        InstanceState i = instances.get(next.instance);
        if (i.remaining(now, activeSessionSeconds(next.instance)) <= 0) {
            failOverLimit(i);
            return true;
        }
        start(next, b);
        return true;
    }

    private void start(JobState j, BackendState b) {
        b.staged.remove(j);
        b.running.add(j);
        j.place = JobState.Place.RUNNING;
        j.setPhase(JobPhase.RUNNING);
        j.startedAt = now;
        j.attempts++;
        InstanceState i = instances.get(j.instance);
        i.queued--;
        i.running++;
        WorkloadState w = j.workload;
        out.add(new StartJob(j.id, b.name(), w == null ? null : w.id()));
        out.add(new JobPhaseChanged(j.id, JobPhase.RUNNING, null, null));
        timers.add(j.maxExecutionDeadline(), Timers.Kind.JOB_MAX_EXECUTION, j.id);
        if (w != null && w.startedAt == null) {
            w.startedAt = now;
            timers.add(w.maxTTLDeadline(), Timers.Kind.WORKLOAD_MAX_TTL, w.id());
        }
    }

    /** Moves the next job to run into {@code staged}, or activates the workload whose job is next; false when none. */
    private boolean stageNext(BackendState b) {
        int lanes = b.spec.preprocessingLanes();
        WorkloadState holder = b.leaseHolder;
        int ofHolder = 0;
        if (holder != null) for (JobState j : b.staged) if (j.workload == holder) ofHolder++;
        if (holder != null && !holder.queue.isEmpty() && ofHolder < lanes) {
            JobState j = holder.queue.pollFirst();
            j.place = JobState.Place.STAGED;
            b.staged.add(j);
            return true;
        }
        if (b.exclusivelyLeased()) return false;
        // Single jobs are armed one ahead of the free slots; selecting further ahead would freeze fair share early.
        // Beside a batch they are counted apart from its jobs, so that a batch filling every lane cannot keep them
        // from being selected for the slots they get first (DESIGN §3.3).
        int singles = b.staged.size() - ofHolder;
        int freeSlots = Math.max(0, b.spec.parallelism() - b.running.size());
        if (singles >= lanes || singles > freeSlots) return false;
        boolean leaseFree = holder == null && !b.calibrating() && !b.calibrationPending(now);
        JobState j = b.queue.peek(leaseFree);
        if (j == null) return false;
        InstanceState i = instances.get(j.instance);
        if (i.remaining(now, activeSessionSeconds(j.instance)) <= 0) {
            failOverLimit(i);
            return true;
        }
        if (j.workload != null) {
            // Jobs selected before it go first; the workload's lease is taken when it is truly next.
            if (!b.staged.isEmpty()) return false;
            activate(j.workload, b);
            return true;
        }
        b.queue.remove(j);
        j.place = JobState.Place.STAGED;
        b.staged.add(j);
        return true;
    }

    private void activate(WorkloadState w, BackendState b) {
        b.leaseHolder = w;
        w.leaseMode = w.spec.kind().leaseMode();
        w.leaseAcquiredAt = now;
        w.usageFrom = null; // set by fill once the backend is its own
        WorkloadPhase previous = w.phase;
        w.phase = WorkloadPhase.ACTIVE;
        // A reactivation is not a first activation: its status and Event say so (issue 14).
        w.reason = previous == WorkloadPhase.INACTIVE ? Reasons.REACTIVATED : null;
        w.message = previous == WorkloadPhase.INACTIVE ? "reactivated by a new job" : null;
        for (JobState j : w.jobs) {
            if (j.place == JobState.Place.NORMAL_QUEUE) {
                b.queue.remove(j);
                j.place = JobState.Place.WORKLOAD_QUEUE;
                w.queue.add(j);
            }
        }
        if (w.leaseMode == LeaseMode.EXCLUSIVE) {
            // Nothing but the session may start now: staged single jobs go back to their place in the queue.
            for (JobState j : new ArrayList<>(b.staged)) {
                b.staged.remove(j);
                putInQueue(j, b);
            }
        }
        out.add(new LeaseAcquired(w.id(), b.name(), w.leaseMode, now));
        out.add(new WorkloadPhaseChanged(w.id(), WorkloadPhase.ACTIVE, w.reason, w.message));
    }

    private void releaseLease(WorkloadState w) {
        if (!w.holdsLease()) return;
        BackendState b = backends.get(w.spec.backend());
        double seconds = w.usageFrom == null ? 0 : Durations.seconds(Duration.between(w.usageFrom, now));
        w.usageFrom = null;
        w.leaseMode = null;
        w.leaseReleasedAt = now;
        boolean held = b != null && b.leaseHolder == w;
        if (held) b.leaseHolder = null;
        // Charged once the lease no longer counts as active: charging first counted the interval twice against the
        // instance's usage limit (its queued jobs failed UsageLimitExceeded at half their real usage).
        if (w.spec.kind() == WorkloadKind.SESSION) {
            w.usageSeconds += seconds;
            chargeInstance(instances.get(w.spec.instance()), seconds);
        }
        if (held) {
            for (JobState j : new ArrayList<>(w.queue)) {
                w.queue.remove(j);
                putInQueue(j, b);
            }
            dirty.add(b.name());
        }
        out.add(new LeaseReleased(w.id(), w.spec.backend(), now));
    }

    // ------------------------------------------------------------------ workload transitions

    private void deactivate(WorkloadState w) {
        w.phase = WorkloadPhase.INACTIVE;
        w.reason = Reasons.INTERACTIVE_TTL_EXPIRED;
        w.message = "no job was ready within the interactive TTL of " + Durations.format(w.interactiveTTL);
        releaseLease(w);
        out.add(new WorkloadPhaseChanged(w.id(), WorkloadPhase.INACTIVE, w.reason, w.message));
    }

    private void expire(WorkloadState w) {
        String msg = kindOf(w) + " " + display(w.id()) + " reached its max TTL of " + Durations.format(w.maxTTL);
        // Its queued jobs fail for the reason they do (max TTL), before the lease's release charges the instance and a
        // usage limit reached on the way would fail them for that. Terminal first, so ending them cannot close it.
        w.phase = WorkloadPhase.EXPIRED;
        for (JobState j : new ArrayList<>(w.jobs)) {
            if (j.phase == JobPhase.QUEUED) terminate(j, JobPhase.FAILED, Reasons.MAX_TTL_EXPIRED, msg);
        }
        endWorkload(w, WorkloadPhase.EXPIRED, Reasons.MAX_TTL_EXPIRED, msg);
        // Running jobs complete, unless that would take the instance past its usage limit: stop them at it.
        InstanceState i = instances.get(w.spec.instance());
        List<JobState> running = w.jobs.stream().filter(j -> j.phase == JobPhase.RUNNING).toList();
        if (i == null || running.isEmpty() || i.limit() == null) return;
        double remaining = i.remaining(now, activeSessionSeconds(i.spec.name()) + uncharged(i.spec.name()));
        for (JobState j : running) {
            if (remaining <= 0) {
                stopRunning(j, JobPhase.CANCELLED, Reasons.USAGE_LIMIT_EXCEEDED,
                        "instance " + display(i.spec.name()) + " reached its usage limit after " + msg);
            } else {
                j.limitDeadline = now.plus(Durations.ofSeconds(remaining / running.size()));
                timers.add(j.limitDeadline, Timers.Kind.JOB_USAGE_LIMIT, j.id);
            }
        }
    }

    private void rejectWorkload(WorkloadState w, String reason, String message) {
        w.acceptingJobs = false;
        endWorkload(w, WorkloadPhase.REJECTED, reason, message);
    }

    private void endWorkload(WorkloadState w, WorkloadPhase phase, String reason, String message) {
        w.phase = phase;
        w.reason = reason;
        w.message = message;
        releaseLease(w);
        out.add(new WorkloadPhaseChanged(w.id(), phase, reason, message));
    }

    private void closeIfDone(WorkloadState w, String message) {
        if (!w.acceptingJobs && !w.phase.isTerminal() && w.unfinished == 0)
            endWorkload(w, WorkloadPhase.CLOSED, Reasons.ALL_JOBS_DONE, message);
    }

    /** After a job of {@code w} changed: close it when closed and done, or arm its interactive TTL. */
    private void touch(WorkloadState w) {
        closeIfDone(w, "closed and its last job ended");
        timers.add(w.interactiveDeadline(), Timers.Kind.WORKLOAD_INTERACTIVE, w.id());
    }

    // ------------------------------------------------------------------ job transitions

    private void enqueue(JobState j, BackendState b) {
        putInQueue(j, b);
        dirty.add(b.name());
    }

    /** Into the lease holder's queue when its workload holds the lease, else into the normal queue. */
    private void putInQueue(JobState j, BackendState b) {
        if (j.workload != null && (j.workload.held && !j.workload.holdsLease()
                || j.workload.holdsLease() && b.leaseHolder == j.workload)) {
            j.place = JobState.Place.WORKLOAD_QUEUE;
            j.workload.queue.add(j);
        } else {
            j.place = JobState.Place.NORMAL_QUEUE;
            b.queue.add(j, instances.get(j.instance));
        }
        dirty.add(b.name());
    }

    private void requeue(JobState j, BackendState b, String message) {
        b.running.remove(j);
        InstanceState i = instances.get(j.instance);
        i.running--;
        i.queued++;
        j.setPhase(JobPhase.QUEUED);
        j.prepared = false;
        j.startedAt = null;
        putInQueue(j, b);
        out.add(new JobPhaseChanged(j.id, JobPhase.QUEUED, Reasons.BACKEND_UNAVAILABLE, message));
    }

    private void stopRunning(JobState j, JobPhase phase, String reason, String message) {
        out.add(new StopJob(j.id, j.backend, reason));
        j.quantumSeconds = Durations.seconds(Duration.between(j.startedAt, now));
        charge(j, j.quantumSeconds);
        terminate(j, phase, reason, message);
    }

    /** Takes the job out of wherever it is and records its terminal phase. */
    private void terminate(JobState j, JobPhase phase, String reason, String message) {
        BackendState b = j.backend == null ? null : backends.get(j.backend);
        InstanceState i = j.instance == null ? null : instances.get(j.instance);
        switch (j.place) {
            case NORMAL_QUEUE -> b.queue.remove(j);
            case WORKLOAD_QUEUE -> j.workload.queue.remove(j);
            case STAGED -> b.staged.remove(j);
            case RUNNING -> b.running.remove(j);
            case NOWHERE -> { }
        }
        if (j.place != JobState.Place.NOWHERE) {
            if (i != null) {
                if (j.phase == JobPhase.RUNNING) i.running--;
                else i.queued--;
            }
            if (j.workload != null) j.workload.unfinished--;
        }
        if (j.preparing && b != null) b.preparing--;
        j.preparing = false;
        j.place = JobState.Place.NOWHERE;
        j.setPhase(phase);
        j.reason = reason;
        j.message = message;
        j.completedAt = now;
        out.add(new JobPhaseChanged(j.id, phase, reason, message));
        if (j.workload != null) {
            if (j.startedAt != null) j.workload.lastJobCompletedAt = now;
            touch(j.workload);
        }
        if (b != null) dirty.add(b.name());
    }

    /** Fails every queued job of an instance that has used up its quantum seconds for the period. */
    private void failOverLimit(InstanceState i) {
        String msg = usageLimitMessage(i);
        for (BackendState b : backends.values()) {
            for (JobState j : b.queue.jobsOf(i.spec.name())) terminate(j, JobPhase.FAILED, Reasons.USAGE_LIMIT_EXCEEDED, msg);
            for (JobState j : new ArrayList<>(b.staged))
                if (j.instance.equals(i.spec.name())) terminate(j, JobPhase.FAILED, Reasons.USAGE_LIMIT_EXCEEDED, msg);
            if (b.leaseHolder != null && i.spec.name().equals(b.leaseHolder.spec.instance()))
                for (JobState j : new ArrayList<>(b.leaseHolder.queue))
                    terminate(j, JobPhase.FAILED, Reasons.USAGE_LIMIT_EXCEEDED, msg);
        }
    }

    // ------------------------------------------------------------------ usage

    /** Charges a finished or stopped job's QPU time per its mode (DESIGN §3.8). */
    private void charge(JobState j, double seconds) {
        InstanceState i = instances.get(j.instance);
        WorkloadState w = j.workload;
        if (w != null && w.spec.kind() == WorkloadKind.SESSION) {
            // A session is charged wall-clock while it holds the lease; only time run after it let go is extra.
            if (w.holdsLease() || w.leaseReleasedAt == null) return;
            Instant from = Durations.max(w.leaseReleasedAt, j.startedAt);
            seconds = Math.min(seconds, Math.max(0, Durations.seconds(Duration.between(from, now))));
        } else if (w != null) {
            w.usageSeconds += seconds;
        }
        chargeInstance(i, seconds);
        meanJobSeconds.add(seconds);
    }

    private void chargeInstance(InstanceState i, double seconds) {
        if (i == null || seconds <= 0) return;
        i.rollPeriod(now);
        i.periodUsage += seconds;
        if (fairShare.needsRescale(now)) rescaleFairShare();
        i.scaledRecentUsage += fairShare.scaled(seconds, now);
        for (BackendState b : backends.values()) {
            b.queue.reorder(i);
            unstageSingleJobs(b);
        }
        if (i.remaining(now, activeSessionSeconds(i.spec.name())) <= 0) failOverLimit(i);
    }

    /**
     * Fair share changed: single jobs armed ahead go back to their place (prepared, so no time is lost when they
     * are picked again) and the next ones are chosen anew. Workload jobs stay: their lease already chose them.
     */
    private void unstageSingleJobs(BackendState b) {
        boolean any = false;
        for (JobState j : new ArrayList<>(b.staged)) {
            if (j.workload == null) {
                b.staged.remove(j);
                putInQueue(j, b);
                any = true;
            }
        }
        if (any) dirty.add(b.name());
    }

    private void rescaleFairShare() {
        double factor = fairShare.rescaleTo(now);
        for (InstanceState i : instances.values()) i.scaledRecentUsage *= factor;
        for (BackendState b : backends.values()) for (InstanceState i : instances.values()) b.queue.reorder(i);
    }

    /** Wall-clock seconds of the instance's sessions that hold a lease now, not yet charged. */
    private double activeSessionSeconds(String instance) {
        double s = 0;
        for (BackendState b : backends.values()) {
            WorkloadState w = b.leaseHolder;
            if (w != null && w.spec.kind() == WorkloadKind.SESSION && w.usageFrom != null && instance.equals(w.spec.instance()))
                s += Durations.seconds(Duration.between(w.usageFrom, now));
        }
        return s;
    }

    /** QPU seconds the instance's running single and batch jobs have used so far, charged only when they end. */
    private double uncharged(String instance) {
        double s = 0;
        for (BackendState b : backends.values())
            for (JobState j : b.running)
                if (instance.equals(j.instance) && (j.workload == null || j.workload.spec.kind() == WorkloadKind.BATCH))
                    s += Durations.seconds(Duration.between(j.startedAt, now));
        return s;
    }

    private String usageLimitMessage(InstanceState i) {
        return "instance " + display(i.spec.name()) + " used its limit of " + i.limit() + " quantum seconds for the period from "
                + i.periodStart;
    }

    // ------------------------------------------------------------------ helpers

    private void remember(WorkloadState w) {
        WorkloadState old = workloads.get(w.id());
        if (old != null) forget(old);
        workloads.put(w.id(), w);
        if (w.spec.instance() != null) workloadsOf.computeIfAbsent(w.spec.instance(), k -> new HashSet<>()).add(w);
    }

    private void forget(WorkloadState w) {
        workloads.remove(w.id(), w);
        Set<WorkloadState> of = w.spec.instance() == null ? null : workloadsOf.get(w.spec.instance());
        if (of != null && of.remove(w) && of.isEmpty()) workloadsOf.remove(w.spec.instance());
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

    private void reject(Event e, String reason, String message) {
        out.add(new EventRejected(e, reason, message));
    }

    private static String kindOf(WorkloadState w) {
        return w.spec.kind().name().toLowerCase();
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
