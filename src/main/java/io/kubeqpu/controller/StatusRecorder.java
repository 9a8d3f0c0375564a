package io.kubeqpu.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubeqpu.api.v1alpha1.ObservedStatus;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.QuantumJobStatus;
import io.kubeqpu.api.v1alpha1.WorkloadStatus;
import io.kubeqpu.scheduler.JobView;
import io.kubeqpu.scheduler.Scheduler;
import io.kubeqpu.scheduler.WorkloadView;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The one place that writes statuses (and the Kubernetes Events that go with phase changes).
 *
 * <p>Objects are marked dirty as decisions come; a worker writes each one's current picture from the scheduler,
 * so a burst of changes to one object costs one write, and a write equal to the last one is skipped. Queue
 * positions are written for the first {@value #POSITIONS_WRITTEN} jobs of a backend's queue whenever the
 * backend changes, and for any job whenever its own status is written: the head of the queue is exact, the
 * tail is refreshed as it moves up, without rewriting 10,000 statuses for every job that starts.
 */
public final class StatusRecorder implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StatusRecorder.class);
    static final int POSITIONS_WRITTEN = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Kind { JOB, WORKLOAD, BACKEND, INSTANCE }

    record Key(Kind kind, String id) {}

    private final KubernetesClient client;
    private final Clock clock;
    private final Supplier<Scheduler> scheduler;
    private final Function<String, Boolean> deviceReady;
    /** Why an instance is not Ready (e.g. one of two defaults of its namespace), or null. */
    private volatile Function<String, String> instanceProblem = id -> null;
    private final Set<Key> dirty = ConcurrentHashMap.newKeySet();
    private final Map<Key, String> lastWritten = new ConcurrentHashMap<>();
    private final Set<String> results = ConcurrentHashMap.newKeySet();
    /** Completed jobs whose result could not be saved (or had none): shown Completed without a resultRef. */
    private final Set<String> resultlessCompletions = ConcurrentHashMap.newKeySet();
    private final Map<Key, Long> generations = new ConcurrentHashMap<>();
    private final Map<Key, java.util.List<io.fabric8.kubernetes.api.model.Condition>> lastConditions = new ConcurrentHashMap<>();
    private final Map<Key, String> lastPhases = new ConcurrentHashMap<>();
    private final Map<Key, Long> nextWrite = new ConcurrentHashMap<>();
    /** Consecutive refused writes per object: retried with backoff, then given up until the object changes again. */
    private final Map<Key, Integer> failures = new ConcurrentHashMap<>();
    static final int MAX_ATTEMPTS = 6;
    static final long FIRST_BACKOFF_MILLIS = 200;
    /** Instances' usage limits as their reconciler saw them (their Ready/UsageLimitExceeded conditions). */
    private final Map<String, Double> usageLimits = new ConcurrentHashMap<>();
    private final Events events;
    private final java.util.Queue<PendingEvent> pendingEvents = new java.util.concurrent.ConcurrentLinkedQueue<>();
    static final long THROTTLE_MILLIS = 1000;
    private final Object signal = new Object();
    /** Marks so far (guarded by {@link #signal}): a pass that wrote nothing waits only if none came since it began. */
    private long marks;
    /**
     * Status patches of a pass, sent in parallel: one patch waits for the API server's round trip, and the writer
     * used to do them one by one, falling seconds behind at a few hundred jobs a second. OperatorBench, 10,000 jobs
     * finishing at ~470/s: decision → visible p99 397 ms with 16 patchers, 270 ms with 32 (2 s with 8). The threads
     * go after 30 s idle.
     */
    static final int PATCHERS = 32;
    private final java.util.concurrent.ThreadPoolExecutor patchers = new java.util.concurrent.ThreadPoolExecutor(PATCHERS, PATCHERS,
            30, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "kubeqpu-status-patch");
                t.setDaemon(true);
                return t;
            });

    {
        patchers.allowCoreThreadTimeOut(true);
    }
    private volatile boolean clientClosed;
    private final Thread worker;
    private volatile boolean running = true;
    private volatile boolean busy;

    private final Ledger ledger;
    private final StatusComposer.Context composing;

    StatusRecorder(KubernetesClient client, Clock clock, Supplier<Scheduler> scheduler, Function<String, Boolean> deviceReady,
                   Ledger ledger) {
        this.ledger = ledger;
        this.client = client;
        this.clock = clock;
        this.scheduler = scheduler;
        this.deviceReady = deviceReady;
        this.events = new Events(client, clock);
        this.composing = new StatusComposer.Context(results::contains, resultlessCompletions::contains, deviceReady,
                id -> instanceProblem.apply(id), usageLimits::get);
        this.worker = new Thread(this::loop, "kubeqpu-status");
        worker.setDaemon(true);
        worker.start();
    }

    void instanceProblem(Function<String, String> problem) {
        this.instanceProblem = problem;
    }

    void job(String id) {
        mark(new Key(Kind.JOB, id));
    }

    void workload(String id) {
        mark(new Key(Kind.WORKLOAD, id));
    }

    void backend(String name) {
        mark(new Key(Kind.BACKEND, name));
    }

    void instance(String id) {
        mark(new Key(Kind.INSTANCE, id));
    }

    /**
     * A Kubernetes Event about a backend or workload that is not a phase change (lease taken or released,
     * calibration, availability): created by the writer thread, never blocking the dispatcher.
     */
    void event(Kind kind, String id, String reason, String message, boolean warning) {
        pendingEvents.add(new PendingEvent(kind, id, reason, message, warning));
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private record PendingEvent(Kind kind, String id, String reason, String message, boolean warning) {}

    /** A Warning Event about an object that is not (or not yet) the scheduler's, e.g. one a restore could not read. */
    void event(HasMetadata object, String reason, String message) {
        createEvent(object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName(), reason, message, true);
    }

    void resultMissing(String jobId) {
        resultlessCompletions.add(jobId);
        job(jobId);
    }

    void resultSaved(String jobId) {
        results.add(jobId);
        job(jobId);
    }

    private void mark(Key k) {
        if (k.id() == null) return;
        dirty.add(k);
        synchronized (signal) {
            marks++;
            signal.notifyAll();
        }
    }

    /** Waits until every pending write is done (tests, shutdown). */
    public boolean flush(long timeoutMillis) {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            if (dirty.isEmpty() && pendingEvents.isEmpty() && !busy && ledger.settled() && events.idle()) return true;
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void loop() {
        while (running) {
            try {
                synchronized (signal) {
                    if (dirty.isEmpty() && pendingEvents.isEmpty())
                        signal.wait(ledger.settled() ? TimeUnit.SECONDS.toMillis(1) : Ledger.FLUSH_EVERY_MILLIS);
                }
                busy = true;
                for (PendingEvent e; (e = pendingEvents.poll()) != null; ) createEvent(e);
                // The ledger before the statuses of this pass: a status never shows a lease or a usage the ledger lacks
                // for longer than one flush interval. One snapshot of the dirty keys for both: a key marked in between
                // waits for the next pass, ledger and status together.
                long marksAtPass;
                synchronized (signal) {
                    marksAtPass = marks;
                }
                Key[] pass = dirty.toArray(Key[]::new);
                try {
                    recordInLedger(pass);
                } catch (RuntimeException e) {
                    if (!running) return;
                    LOG.warnf(e, "ledger not updated");
                }
                // Nothing to write, no scheduler asked for: the first use of the scheduler restores it, which a standby
                // replica must not do before it leads (TwoReplicasTest).
                if (pass.length == 0) continue;
                StatusComposer composer = new StatusComposer(scheduler.get(), composing);
                long now = System.nanoTime();
                boolean wroteAny = false;
                List<Key> taken = new ArrayList<>();
                List<Future<?>> patches = new ArrayList<>();
                // Composed here, one after another (reads of the scheduler, no I/O); patched by the pool, each key
                // once per pass, so one object's writes stay in order. The pass ends when all its patches did.
                for (Key k : pass) {
                    if (throttled(k, now)) continue;
                    dirty.remove(k);
                    wroteAny = true;
                    taken.add(k);
                    StatusComposer.Picture picture;
                    try {
                        picture = compose(composer, k);
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "status of %s not composed", k);
                        continue;
                    }
                    if (picture != null) patches.add(patchers.submit(() -> patch(k, picture)));
                }
                for (Future<?> f : patches) f.get();
                if (clientClosed) return;
                // Marked again since recordInLedger (the mark is consumed by this write): the ledger gets what was
                // just written, flushed at the next pass.
                if (!taken.isEmpty()) {
                    Scheduler s = scheduler.get();
                    for (Key k : taken) inLedger(s, k);
                }
                busy = false;
                // Only throttled statuses left: wait for their time or for a new mark, whichever comes first.
                if (!wroteAny && !dirty.isEmpty()) synchronized (signal) {
                    if (marks == marksAtPass) signal.wait(THROTTLE_MILLIS / 4);
                }
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warnf(e.getCause(), "status write failed");
            } catch (InterruptedException e) {
                return;
            } finally {
                busy = false;
            }
        }
    }

    /**
     * Running jobs (job → instance) with the stop-at-limit instant last recorded: the scheduler sets that instant without
     * a decision about the job (a workload's max TTL ends, a limit is lowered), so each write of the instance looks
     * again. Bounded by the backends' parallelism.
     */
    private final Map<String, String> runningJobInstance = new ConcurrentHashMap<>();
    private final Map<String, String> recordedStopAt = new ConcurrentHashMap<>();

    /** Copies what the dirty objects' statuses will show of usage, leases and anchors into the ledger, and flushes it. */
    private void recordInLedger(Key[] pass) {
        Scheduler s = pass.length == 0 ? null : scheduler.get();
        if (s != null) for (Key k : pass) inLedger(s, k);
        ledger.flush(false);
    }

    private void inLedger(Scheduler s, Key k) {
        try {
            switch (k.kind()) {
                case JOB -> runningJob(k.id(), s.job(k.id()).orElse(null));
                case WORKLOAD -> s.workload(k.id()).ifPresent(v -> ledger.workload(k.id(), v));
                case INSTANCE -> {
                    s.instance(k.id()).ifPresent(v -> ledger.instance(k.id(), v));
                    runningJobInstance.forEach((job, instance) -> {
                        if (!instance.equals(k.id())) return;
                        JobView v = s.job(job).orElse(null);
                        String stopAt = v == null ? null : StatusMapper.str(v.usageLimitDeadline());
                        if (v == null || v.phase() != io.kubeqpu.scheduler.JobPhase.RUNNING
                                || !java.util.Objects.equals(stopAt, recordedStopAt.get(job))) {
                            runningJob(job, v);
                            // Its status shows the new usageLimitStopAt too (next pass).
                            dirty.add(new Key(Kind.JOB, job));
                        }
                    });
                }
                case BACKEND -> { }
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "ledger entry of %s not made", k);
        }
    }

    private void runningJob(String id, JobView v) {
        ledger.job(id, v);
        if (v != null && v.phase() == io.kubeqpu.scheduler.JobPhase.RUNNING && v.instance() != null) {
            runningJobInstance.put(id, v.instance());
            String stopAt = StatusMapper.str(v.usageLimitDeadline());
            if (stopAt == null) recordedStopAt.remove(id);
            else recordedStopAt.put(id, stopAt);
        } else {
            runningJobInstance.remove(id);
            recordedStopAt.remove(id);
        }
    }

    /** After a restore: every instance, workload and running job as restored goes into the ledger, written at once. */
    void ledgerAll(Scheduler s, io.kubeqpu.scheduler.SchedulerSnapshot restored) {
        for (var i : restored.instances()) s.instance(i.spec().name()).ifPresent(v -> ledger.instance(i.spec().name(), v));
        for (WorkloadView v : s.workloads()) ledger.workload(v.id(), v);
        for (JobView v : s.jobs()) if (v.phase() == io.kubeqpu.scheduler.JobPhase.RUNNING) runningJob(v.id(), v);
        ledger.touchAll();
        ledger.flush(true);
    }

    /**
     * A refused write (403, 409, 413, 422, 429, 5xx) is tried again after 0.2, 0.4, 0.8 … s, at most
     * {@value #MAX_ATTEMPTS} times; then the writer gives up on that object until something about it changes (the
     * next decision or reconcile marks it again). Never a tight loop.
     */
    private void retryLater(Key k, KubernetesClientException e) {
        int n = failures.merge(k, 1, Integer::sum);
        if (n >= MAX_ATTEMPTS) {
            LOG.warnf("status of %s %s not written after %d attempts: %s", k.kind(), k.id(), n, e.getMessage());
            failures.remove(k);
            return;
        }
        LOG.debugf("status write of %s failed (%s); retrying", k, e.getMessage());
        nextWrite.put(k, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FIRST_BACKOFF_MILLIS << (n - 1)));
        dirty.add(k);
    }

    /**
     * Backend and instance statuses (queue length, usage, running jobs) change with every job: they are written
     * at most every {@value #THROTTLE_MILLIS} ms, and with them the queue positions of the head of the queue.
     */
    private boolean throttled(Key k, long now) {
        Long next = nextWrite.get(k);
        if (next != null && now < next) return true;
        if (k.kind() != Kind.BACKEND && k.kind() != Kind.INSTANCE) {
            if (next != null) nextWrite.remove(k);
            return false;
        }
        nextWrite.put(k, now + TimeUnit.MILLISECONDS.toNanos(THROTTLE_MILLIS));
        return false;
    }

    /** The object's status as the scheduler has it now; a backend's also marks the head of its queue. */
    private StatusComposer.Picture compose(StatusComposer pass, Key k) {
        StatusComposer.Picture p = switch (k.kind()) {
            case JOB -> pass.job(k.id());
            case WORKLOAD -> pass.workload(k.id());
            case BACKEND -> pass.backend(k.id());
            case INSTANCE -> pass.instance(k.id());
        };
        if (p != null && k.kind() == Kind.BACKEND)
            for (String job : pass.headOfQueue(k.id(), POSITIONS_WRITTEN)) dirty.add(new Key(Kind.JOB, job));
        return p;
    }

    /** One status patch, on a thread of the pool; what goes wrong is retried later or logged, never thrown. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void patch(Key k, StatusComposer.Picture p) {
        try {
            edit((Class) p.type(), p.namespace(), p.name(), k, p.status(), p.ready(), p.reason(), p.message());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) forget(k.kind(), k.id());
            else retryLater(k, e);
        } catch (IllegalStateException e) {
            // The client closed with the application (Quarkus closes its HTTP client during shutdown, before the core
            // is disposed): nothing more can be written, and that is no failure.
            if (!running || OperatorCore.stopping(e)) {
                LOG.debugf("status writer stops: %s", e.getMessage());
                clientClosed = true;
                return;
            }
            LOG.warnf(e, "status write of %s failed", k);
        } catch (RuntimeException e) {
            LOG.warnf(e, "status write of %s failed", k);
        }
    }

    /** A status the reconciler decided without the scheduler (e.g. a job naming no instance): written at once. */
    void writeJobStatus(QuantumJob job, QuantumJobStatus st) {
        edit(QuantumJob.class, job.getMetadata().getNamespace(), job.getMetadata().getName(),
                new Key(Kind.JOB, Ids.of(job)), st, false, st.getReason(), st.getMessage());
    }

    /** A workload the reconciler rejected without the scheduler (a spec the operator cannot read): written at once. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void rejectWorkload(HasMetadata cr, String id, String reason, String message) {
        if (cr instanceof CustomResource<?, ?> r && r.getStatus() instanceof WorkloadStatus old && old.getPhase() == io.kubeqpu.api.v1alpha1.WorkloadPhase.REJECTED) return;
        WorkloadStatus st = new WorkloadStatus();
        st.setPhase(io.kubeqpu.api.v1alpha1.WorkloadPhase.REJECTED);
        st.setReason(reason);
        st.setMessage(message);
        edit((Class) cr.getClass(), cr.getMetadata().getNamespace(), cr.getMetadata().getName(), new Key(Kind.WORKLOAD, id), st, false, reason, message);
    }

    /** An instance's usageLimitSeconds (null = unlimited), for its UsageLimitExceeded condition. */
    void usageLimit(String instanceId, Double seconds) {
        if (seconds == null) usageLimits.remove(instanceId);
        else usageLimits.put(instanceId, seconds);
    }

    /**
     * What the reconciler saw of an object: its generation, and, the first time this writer meets it (after a
     * restart), the status already written, so that an equal status is not written again and a phase already shown is
     * not announced again by a duplicate Event.
     */
    void seen(Kind kind, String id, HasMetadata cr) {
        Key key = new Key(kind, id);
        Ledger.Kind lk = ledgerKind(kind);
        if (lk != null) ledger.known(lk, id, cr.getMetadata().getUid());
        Long generation = cr.getMetadata().getGeneration();
        Long before = generation == null ? generations.get(key) : generations.put(key, generation);
        // A spec edit changes nothing in the computed status but must still be acknowledged (observedGeneration).
        if (before != null && generation != null && !before.equals(generation)) mark(key);
        if (cr instanceof CustomResource<?, ?> r && r.getStatus() instanceof ObservedStatus old && !lastPhases.containsKey(key)) {
            String phase = phaseOf(old);
            if (phase != null) lastPhases.putIfAbsent(key, phase);
            if (old.getConditions() != null) lastConditions.putIfAbsent(key, old.getConditions());
            Long observed = old.getObservedGeneration();
            var ready = old.getConditions() == null ? null : old.getConditions().stream()
                    .filter(c -> io.kubeqpu.api.v1alpha1.ConditionTypes.READY.equals(c.getType())).findFirst().orElse(null);
            if (observed != null && observed.equals(generation) && ready != null)
                lastWritten.putIfAbsent(key, comparable(old, observed) + "True".equals(ready.getStatus()) + ready.getReason()
                        + (ready.getMessage() == null || ready.getMessage().isEmpty() ? null : ready.getMessage()));
        }
    }

    /** Forgets a deleted object: nothing of it is kept, and an object re-created under its name starts afresh. */
    void forget(Kind kind, String id) {
        Key key = new Key(kind, id);
        dirty.remove(key);
        lastWritten.remove(key);
        generations.remove(key);
        lastConditions.remove(key);
        lastPhases.remove(key);
        nextWrite.remove(key);
        failures.remove(key);
        Ledger.Kind lk = ledgerKind(kind);
        if (lk != null) ledger.forget(lk, id);
        if (kind == Kind.JOB) {
            runningJobInstance.remove(id);
            recordedStopAt.remove(id);
            results.remove(id);
            resultlessCompletions.remove(id);
        }
    }

    private static Ledger.Kind ledgerKind(Kind kind) {
        return switch (kind) {
            case JOB -> Ledger.Kind.JOB;
            case WORKLOAD -> Ledger.Kind.WORKLOAD;
            case INSTANCE -> Ledger.Kind.INSTANCE;
            case BACKEND -> null;
        };
    }

    /** How many objects the writer keeps something about (the churn benchmark checks deleted ones are forgotten). */
    int cachedObjects() {
        java.util.Set<Key> keys = new java.util.HashSet<>(lastWritten.keySet());
        keys.addAll(generations.keySet());
        keys.addAll(lastPhases.keySet());
        keys.addAll(lastConditions.keySet());
        return keys.size() + results.size() + resultlessCompletions.size();
    }

    /** The part of a status that decides whether to write it: all but the conditions, with the generation it answers. */
    private static String comparable(ObservedStatus status, Long generation) {
        var conditions = status.getConditions();
        Long observed = status.getObservedGeneration();
        try {
            status.setConditions(null);
            status.setObservedGeneration(null);
            return toJson(status) + "@" + generation;
        } finally {
            status.setConditions(conditions);
            status.setObservedGeneration(observed);
        }
    }

    /**
     * Writes the status with one JSON patch ({@code add /status}: replaces it whole, so fields that became empty
     * disappear), keeping each condition's transition time from the last write. Skipped when equal to it.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private <S extends ObservedStatus, R extends CustomResource> void edit(Class<R> type, String ns, String name, Key key, S status,
                                                                        boolean ready, String reason, String message) {
        Long generation = generations.get(key);
        // The condition is part of what was written: a changed reason alone is a change.
        String json = comparable(status, generation) + ready + reason + message;
        if (json.equals(lastWritten.get(key))) return;
        Instant now = clock.instant();
        if (generation == null) {
            R current = ByName.of(client, type, ns, name).get();
            if (current == null) return;
            generation = current.getMetadata().getGeneration();
            ObservedStatus old = (ObservedStatus) current.getStatus();
            if (old != null && old.getConditions() != null) lastConditions.putIfAbsent(key, old.getConditions());
        }
        status.setObservedGeneration(generation);
        status.setConditions(Conditions.of(status, lastConditions.get(key), ready, reason, message, generation, now));
        String patch = "[{\"op\":\"add\",\"path\":\"/status\",\"value\":" + toJson(status) + "}]";
        R written = ByName.of(client, type, ns, name).subresource("status").patch(PatchContext.of(PatchType.JSON), patch);
        failures.remove(key);
        if (written != null) events.uid(type.getSimpleName(), ns, name, written.getMetadata().getUid());
        String previousPhase = lastPhases.put(key, String.valueOf(phaseOf(status)));
        lastWritten.put(key, json);
        lastConditions.put(key, status.getConditions());
        String phase = phaseOf(status);
        // Queued is what every job is at first: its status says so; an Event per job for it would only be noise.
        if (phase != null && !phase.equals(previousPhase) && !"Queued".equals(phase) && !"Pending".equals(phase))
            recordEvent(type, ns, name, phase, status, message);
    }

    private static String toJson(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String phaseOf(Object status) {
        if (status instanceof QuantumJobStatus j) return j.getPhase() == null ? null : StatusComposer.capitalized(j.getPhase().name());
        if (status instanceof WorkloadStatus w) return w.getPhase() == null ? null : StatusComposer.capitalized(w.getPhase().name());
        return null;
    }

    private void recordEvent(Class<?> type, String ns, String name, String phase, Object status, String message) {
        String reason = status instanceof QuantumJobStatus j && j.getReason() != null ? j.getReason()
                : status instanceof WorkloadStatus w && w.getReason() != null ? w.getReason() : phase;
        String kind = type.getSimpleName();
        boolean warning = "Failed".equals(phase) || "Rejected".equals(phase) || "Expired".equals(phase);
        createEvent(kind, ns, name, reason, kind + " " + name + " is " + phase + (message == null ? "" : ": " + message), warning);
    }

    private void createEvent(PendingEvent e) {
        String kind = switch (e.kind()) {
            case BACKEND -> "QuantumBackend";
            case WORKLOAD -> Ids.isSession(e.id()) ? "QuantumSession" : "QuantumBatch";
            case INSTANCE -> "QuantumInstance";
            case JOB -> "QuantumJob";
        };
        createEvent(kind, Ids.namespace(e.id()), Ids.name(e.id()), e.reason(), e.message(), e.warning());
    }

    /** One Kubernetes Event about one of our objects (aggregated and rate-limited by {@link Events}). */
    private void createEvent(String kind, String ns, String name, String reason, String message, boolean warning) {
        events.record(kind, ns, name, reason, message, warning);
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
        patchers.shutdownNow();
        events.close();
    }
}
