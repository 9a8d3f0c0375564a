package io.kubeqpu.scheduler;

import static io.kubeqpu.scheduler.SchedulerState.orDefault;

import io.kubeqpu.scheduler.Decision.EventRejected;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The execution-mode scheduler: events in, decisions out, on an injected clock.
 *
 * <p>Per backend, jobs flow: a queue (the normal fair-share queue, or the queue of the workload holding the
 * lease) → {@code staged} (selected, pre-processed in one of the backend's lanes) → running (one of
 * {@code parallelism} slots) → a terminal phase. Staging ahead is what lets a batch run back to back: the
 * next job is already prepared when a slot frees. Every method is synchronized; the scheduler is cheap
 * enough that a single lock is simpler and faster than anything finer.
 *
 * <p>This class is the facade and the lock: entry points, read-only views, and the dispatch of each event to the part
 * that handles it. The rules live in package-private parts named for them ({@link BackendLoop}, {@link Leases},
 * {@link Calibration}, {@link JobLifecycle}, {@link WorkloadLifecycle}, {@link BackendLifecycle},
 * {@link InstanceLifecycle}, {@link UsageLedger}, {@link Deadlines}, {@link Snapshots}), which share one
 * {@link SchedulerState} and are only called from here, under this object's monitor.
 */
public final class Scheduler {
    /**
     * A staged job holds a pre-processing lane: if its QPU never answers (a report lost, a device restarted), it is
     * asked again after this long, and fails after {@link #PREPARE_ATTEMPTS} requests instead of blocking the lane.
     */
    public static final Duration PREPARE_TIMEOUT = Duration.ofMinutes(2);
    public static final int PREPARE_ATTEMPTS = 3;

    private final Clock clock;
    private final SchedulerState state;
    private final BackendLifecycle backendLifecycle;
    private final InstanceLifecycle instanceLifecycle;
    private final Snapshots snapshots;

    public Scheduler(Clock clock, SchedulerConfig config) {
        this.clock = clock;
        this.state = new SchedulerState(config, clock.instant());
        this.backendLifecycle = new BackendLifecycle(state);
        this.instanceLifecycle = new InstanceLifecycle(state);
        this.snapshots = new Snapshots(state);
    }

    public Scheduler(Clock clock) {
        this(clock, SchedulerConfig.defaults());
    }

    // ------------------------------------------------------------------ entry points

    /** Applies one event at the clock's current instant, after firing every timer due before it. */
    public synchronized List<Decision> apply(Event event) {
        state.out = new ArrayList<>();
        state.deadlines.advanceTo(clock.instant());
        try {
            handle(event);
        } catch (RuntimeException e) {
            // A bug must not stop scheduling for everyone: refuse the event, keep the state we have.
            state.out.add(new EventRejected(event, "InternalError", String.valueOf(e)));
        }
        state.loop.settle();
        state.deadlines.compactTimers();
        return state.out;
    }

    /** Applies several events in order; the decisions of all of them, in order. */
    public synchronized List<Decision> applyAll(Collection<? extends Event> events) {
        List<Decision> all = new ArrayList<>();
        for (Event e : events) all.addAll(apply(e));
        return all;
    }

    /** The earliest instant at which a {@link Tick} would change something, if any. */
    public synchronized Optional<Instant> nextDeadline() {
        Timers timers = state.timers;
        while (timers.peek() != null && !state.deadlines.isLive(timers.peek())) timers.poll();
        return Optional.ofNullable(timers.peek()).map(Timers.Timer::at);
    }

    // ------------------------------------------------------------------ views

    public synchronized Optional<JobView> job(String id) {
        return Optional.ofNullable(state.jobs.get(id)).map(JobState::view);
    }

    public synchronized Optional<WorkloadView> workload(String id) {
        return Optional.ofNullable(state.workloads.get(id)).map(w -> w.view(state.now));
    }

    public synchronized Optional<BackendView> backend(String name) {
        return Optional.ofNullable(state.backends.get(name)).map(BackendState::view);
    }

    /** The backend's spec as the scheduler uses it, or null. */
    public synchronized BackendSpec backendSpec(String name) {
        BackendState b = state.backends.get(name);
        return b == null ? null : b.spec;
    }

    public synchronized Optional<InstanceView> instance(String name) {
        InstanceState i = state.instances.get(name);
        if (i == null) return Optional.empty();
        Instant now = state.now;
        i.rollPeriod(now);
        return Optional.of(new InstanceView(name, i.periodUsage + state.usage.activeSessionSeconds(name), i.periodStart,
                state.fairShare.decayed(i.scaledRecentUsage, now), i.queued, i.running, i.periodUsage, now));
    }

    public synchronized List<JobView> jobs() {
        return state.jobs.values().stream().map(JobState::view).toList();
    }

    /** The backends' views, in name order: O(backends). */
    public synchronized List<BackendView> backends() {
        return state.backends.values().stream().map(BackendState::view).toList();
    }

    /**
     * Views of the {@code newest} jobs that failed without ever starting, newest first: the dashboard's list of what
     * never ran, read from an index instead of a walk of every job.
     */
    public synchronized List<JobView> failedBeforeStart(int newest) {
        if (newest <= 0) return List.of();
        java.util.ArrayDeque<JobState> last = new java.util.ArrayDeque<>(Math.min(newest, 64));
        for (JobState j : state.failedBeforeStart) {
            if (last.size() == newest) last.removeFirst();
            last.addLast(j);
        }
        List<JobView> out = new java.util.ArrayList<>(last.size());
        for (java.util.Iterator<JobState> it = last.descendingIterator(); it.hasNext(); ) out.add(it.next().view());
        return out;
    }

    /** How many sessions or batches are in a phase, from counters (a metrics scrape: no view of every workload). */
    public synchronized int workloadCount(WorkloadKind kind, WorkloadPhase phase) {
        return state.workloadCount(kind, phase);
    }

    /** Views of the rejected sessions and batches (an index, not a walk of every workload). */
    public synchronized List<WorkloadView> rejectedWorkloads() {
        return state.rejected.stream().map(w -> w.view(state.now)).toList();
    }

    /** Views of the queued jobs only, walking every job (tests; a metrics scrape reads queue snapshots). */
    public synchronized List<JobView> queuedJobs() {
        return state.jobs.values().stream().filter(j -> j.phase == JobPhase.QUEUED).map(JobState::view).toList();
    }

    /** How many of the instance's workloads are Active, counted without building views. */
    public synchronized int activeWorkloads(String instance) {
        int n = 0;
        for (WorkloadState w : state.workloadsOf.getOrDefault(instance, Set.of())) if (w.phase == WorkloadPhase.ACTIVE) n++;
        return n;
    }

    /** Mean wall-clock run time of the backend's completed jobs ({@link EstimatedStart#DEFAULT_MEAN_JOB_SECONDS} before any). */
    public synchronized double meanRunSeconds(String backend) {
        BackendState b = state.backends.get(backend);
        return b == null ? EstimatedStart.DEFAULT_MEAN_JOB_SECONDS : b.meanRunSeconds.value();
    }

    public synchronized List<WorkloadView> workloads() {
        return state.workloads.values().stream().map(w -> w.view(state.now)).toList();
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
        Instant now = state.now;
        BackendState b = state.backends.get(backend);
        if (b == null) return QueueSnapshot.empty(now);
        WorkloadState holder = b.leaseHolder;
        // Beside a batch the normal queue has every slot but the batch's one (DESIGN §3.3): interleaved.
        int interleave = holder == null || b.exclusivelyLeased() || b.spec.parallelism() == 1 ? 0 : b.spec.parallelism() - 1;
        return new QueueSnapshot(b.staged, holder, interleave, b.queue.snapshot(state.meanJobSeconds.value(), state.fairShare, now),
                now, b.meanRunSeconds.value(), b.spec.parallelism(), b.calibrating() ? b.calibratingUntil : null);
    }

    /** Timers waiting (tests: the queue does not grow with deleted jobs). */
    synchronized int pendingTimers() {
        return state.timers.size();
    }

    /** Records {@link #restore} skipped, with why. */
    public synchronized List<String> loadProblems() {
        return List.copyOf(state.loadProblems);
    }

    public synchronized Instant now() {
        return state.now;
    }

    // ------------------------------------------------------------------ snapshot and restore

    /** What a restarted scheduler needs; the operator keeps the same facts in the resources' statuses. */
    public synchronized SchedulerSnapshot snapshot() {
        return snapshots.take();
    }

    /**
     * Rebuilds a scheduler from a snapshot. Running jobs stay running (nothing is started twice), queued jobs
     * keep their FIFO place, leases stay with their holders, and deadlines follow from the stored anchors.
     * Deadlines that passed while nobody was watching fire on the first {@link #apply}.
     */
    public static Scheduler restore(Clock clock, SchedulerConfig config, SchedulerSnapshot snapshot) {
        Scheduler s = new Scheduler(clock, config);
        synchronized (s) {
            s.snapshots.load(snapshot);
        }
        return s;
    }

    // ------------------------------------------------------------------ events

    private void handle(Event event) {
        JobLifecycle jobs = state.jobLifecycle;
        WorkloadLifecycle workloads = state.workloadLifecycle;
        // Java 17: no pattern matching in switch yet, hence the chain.
        if (event instanceof BackendConfigured e) backendLifecycle.configureBackend(e);
        else if (event instanceof BackendAvailability e) backendLifecycle.availability(e);
        else if (event instanceof InstanceConfigured e) instanceLifecycle.configureInstance(e);
        else if (event instanceof Event.BackendDeleted e) backendLifecycle.deleteBackend(e);
        else if (event instanceof Event.InstanceDeleted e) instanceLifecycle.deleteInstance(e);
        else if (event instanceof WorkloadCreated e) workloads.createWorkload(e);
        else if (event instanceof WorkloadClosed e) workloads.closeWorkload(e);
        else if (event instanceof Event.WorkloadHeld e) workloads.hold(e);
        else if (event instanceof WorkloadCancelled e) workloads.cancelWorkload(e);
        else if (event instanceof JobSubmitted e) jobs.submit(e);
        else if (event instanceof Event.JobRefused e) jobs.refuse(e);
        else if (event instanceof Event.JobResultLost e) jobs.resultLost(e);
        else if (event instanceof JobPrepared e) jobs.prepared(e);
        else if (event instanceof JobPreparationFailed e) jobs.preparationFailed(e);
        else if (event instanceof JobFinished e) jobs.finished(e.job(), e, JobPhase.COMPLETED, null, null, e.quantumSeconds());
        else if (event instanceof JobFailed e)
            jobs.finished(e.job(), e, JobPhase.FAILED, orDefault(e.reason(), Reasons.EXECUTION_FAILED), e.message(), e.quantumSeconds());
        else if (event instanceof JobDeleted e) jobs.deleteJob(e);
        else if (event instanceof Event.JobLost e) jobs.lost(e);
        else if (event == null) throw new IllegalArgumentException("event is null");
        // Tick: nothing beyond the timers already fired.
    }
}
