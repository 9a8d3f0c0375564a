package io.kubeqpu.simulator.device;

import io.kubeqpu.simulator.BackendProfile;
import io.kubeqpu.simulator.PreparedJob;
import io.kubeqpu.simulator.PrimitiveRequest;
import io.kubeqpu.simulator.PrimitiveResult;
import io.kubeqpu.simulator.QpuSimulator;
import io.kubeqpu.simulator.SimulationException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated QPU as a device: pre-processing in parallel lanes, {@code parallelism} execution slots
 * served first come first served, each slot held for the job's modelled QPU time × time scale (or the
 * simulation's real duration if longer), calibration occupying all slots. All state sits behind one lock;
 * listeners are called on a dedicated thread so they never run under it.
 */
public final class InProcessQpuDevice implements QpuDevice {

    private static final class Job {
        final String id;
        QpuJobState state = QpuJobState.PREPARING;
        boolean startRequested;
        PreparedJob prepared;
        Double quantumSeconds;
        String reason;
        String message;
        Instant preparedAt;
        Instant startedAt;
        Instant finishedAt;
        long startedNanos;
        String resultJson;

        Job(String id) {
            this.id = id;
        }

        JobStatus snapshot() {
            return new JobStatus(id, state, startRequested, quantumSeconds, reason, message, preparedAt, startedAt,
                    finishedAt, resultJson);
        }
    }

    /** Queue entries: a job id, or a calibration of the given wall-clock nanoseconds. */
    private record Calibration(long nanos) {
    }

    private final QpuSimulator simulator;
    private final DeviceOptions options;
    private final Object lock = new Object();
    private final Map<String, Job> jobs = new HashMap<>();
    private final Deque<String> finishedOrder = new ArrayDeque<>();
    private final Deque<Object> waiting = new ArrayDeque<>();
    private int busySlots;
    private boolean calibrating;
    private long sequence;
    private boolean closed;

    private final ExecutorService prepareLanes;
    private final ExecutorService executionSlots;
    private final ScheduledExecutorService timers;
    private final ExecutorService notifier;
    private final List<DeviceListener> listeners = new CopyOnWriteArrayList<>();

    public InProcessQpuDevice(BackendProfile profile, DeviceOptions options) {
        this(new QpuSimulator(profile, QpuSimulator.DEFAULT_MAX_SIMULATED_QUBITS,
                io.kubeqpu.simulator.engine.Parallelism.of(options.threads()),
                options.memoryBudgetBytes() > 0 ? new io.kubeqpu.simulator.MemoryBudget(options.memoryBudgetBytes())
                        : io.kubeqpu.simulator.MemoryBudget.fromMaxHeap()), options);
    }

    public InProcessQpuDevice(QpuSimulator simulator, DeviceOptions options) {
        this.simulator = simulator;
        this.options = options;
        String name = simulator.profile().name();
        this.prepareLanes = Executors.newFixedThreadPool(options.prepareLanes(), daemon("qpu-" + name + "-prepare"));
        this.executionSlots = Executors.newFixedThreadPool(options.parallelism(), daemon("qpu-" + name + "-slot"));
        this.timers = Executors.newSingleThreadScheduledExecutor(daemon("qpu-" + name + "-timer"));
        this.notifier = Executors.newSingleThreadExecutor(daemon("qpu-" + name + "-events"));
    }

    @Override
    public BackendProfile backend() {
        return simulator.profile();
    }

    public DeviceOptions options() {
        return options;
    }

    @Override
    public JobStatus prepare(String jobId, PrimitiveRequest request) {
        synchronized (lock) {
            checkOpen();
            Job existing = jobs.get(jobId);
            if (existing != null) {
                return existing.snapshot();
            }
            Job job = new Job(jobId);
            jobs.put(jobId, job);
            prepareLanes.execute(() -> runPreparation(job, request));
            return job.snapshot();
        }
    }

    private void runPreparation(Job job, PrimitiveRequest request) {
        PreparedJob prepared = null;
        SimulationException refusal = null;
        try {
            prepared = simulator.prepare(request);
        } catch (SimulationException e) {
            refusal = e;
        } catch (RuntimeException e) {
            refusal = new SimulationException("InternalError", "pre-processing failed: " + e, e);
        }
        synchronized (lock) {
            if (job.state != QpuJobState.PREPARING) {
                return; // cancelled meanwhile
            }
            if (refusal != null) {
                finish(job, QpuJobState.FAILED, refusal.reason(), refusal.getMessage());
                return;
            }
            job.prepared = prepared;
            job.quantumSeconds = prepared.quantumSeconds();
            job.preparedAt = Instant.now();
            job.state = QpuJobState.PREPARED;
            emit(DeviceEvent.Type.PREPARED, job);
            if (job.startRequested) {
                enqueue(job);
            }
        }
    }

    @Override
    public JobStatus start(String jobId) {
        synchronized (lock) {
            checkOpen();
            Job job = find(jobId);
            if (!job.startRequested && !job.state.terminal()) {
                job.startRequested = true;
                if (job.state == QpuJobState.PREPARED) {
                    enqueue(job);
                }
            }
            return job.snapshot();
        }
    }

    private void enqueue(Job job) {
        job.state = QpuJobState.WAITING;
        waiting.addLast(job.id);
        dispatch();
    }

    @Override
    public JobStatus cancel(String jobId) {
        synchronized (lock) {
            Job job = find(jobId);
            if (job.state.terminal()) {
                return job.snapshot();
            }
            if (job.state == QpuJobState.RUNNING) {
                busySlots--;
                // The QPU stops: charge only the time it ran.
                double ran = elapsedQpuSeconds(job);
                job.quantumSeconds = Math.min(job.quantumSeconds, ran);
            } else {
                waiting.remove(jobId);
                job.quantumSeconds = job.state == QpuJobState.PREPARING ? null : 0.0; // never reached the QPU
            }
            finish(job, QpuJobState.CANCELLED, "Cancelled", "cancelled by request");
            dispatch();
            return job.snapshot();
        }
    }

    @Override
    public JobStatus status(String jobId) {
        synchronized (lock) {
            return find(jobId).snapshot();
        }
    }

    @Override
    public void calibrate(Duration duration) {
        synchronized (lock) {
            checkOpen();
            waiting.addLast(new Calibration(Math.round(duration.toNanos() * options.timeScale())));
            dispatch();
        }
    }

    /** Jobs this QPU holds that have not ended (preparing, prepared, waiting or running). */
    public int unfinishedJobs() {
        synchronized (lock) {
            int n = 0;
            for (Job j : jobs.values()) if (!j.state.terminal()) n++;
            return n;
        }
    }

    @Override
    public DeviceStatus deviceStatus() {
        synchronized (lock) {
            return new DeviceStatus(options.parallelism(), busySlots, waiting.size(), calibrating);
        }
    }

    @Override
    public void addListener(DeviceListener listener) {
        listeners.add(listener);
    }

    /** Starts queue heads while slots allow; FIFO, so a calibration at the head waits for all slots to drain. */
    private void dispatch() {
        while (!waiting.isEmpty() && !closed) {
            Object head = waiting.peekFirst();
            if (head instanceof Calibration) {
                if (busySlots > 0) {
                    return;
                }
                waiting.removeFirst();
                runCalibration(((Calibration) head).nanos);
                continue;
            }
            if (busySlots >= options.parallelism()) {
                return;
            }
            waiting.removeFirst();
            Job job = jobs.get((String) head);
            if (job == null || job.state != QpuJobState.WAITING) {
                continue;
            }
            runJob(job);
        }
    }

    private void runCalibration(long nanos) {
        busySlots = options.parallelism();
        calibrating = true;
        emitDevice(DeviceEvent.Type.CALIBRATION_STARTED);
        try {
            timers.schedule(() -> {
                synchronized (lock) {
                    busySlots = 0;
                    calibrating = false;
                    emitDevice(DeviceEvent.Type.CALIBRATION_FINISHED);
                    dispatch();
                }
            }, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void runJob(Job job) {
        busySlots++;
        job.state = QpuJobState.RUNNING;
        job.startedAt = Instant.now();
        job.startedNanos = System.nanoTime();
        emit(DeviceEvent.Type.STARTED, job);
        PreparedJob prepared = job.prepared;
        long seed = prepared.request().seed() != null ? prepared.request().seed() : ThreadLocalRandom.current().nextLong();
        long holdNanos = Math.round(prepared.quantumSeconds() * options.timeScale() * 1e9);
        executionSlots.execute(() -> {
            String json = null;
            String error = null;
            String reason = "InternalError";
            try {
                PrimitiveResult result = simulator.execute(prepared, seed);
                json = result.toJson();
            } catch (io.kubeqpu.simulator.engine.CircuitRuntimeException e) {
                reason = "CircuitRuntimeError";
                error = e.getMessage();
            } catch (RuntimeException | OutOfMemoryError e) {
                error = "execution failed: " + e;
            }
            String resultJson = json;
            String failure = error;
            String failureReason = reason;
            long remaining = job.startedNanos + holdNanos - System.nanoTime();
            try {
                timers.schedule(() -> complete(job, resultJson, failureReason, failure), Math.max(0, remaining),
                        TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // device closed while the job ran: nobody is left to tell
            }
        });
    }

    private void complete(Job job, String resultJson, String reason, String failure) {
        synchronized (lock) {
            if (job.state != QpuJobState.RUNNING) {
                return; // cancelled while running
            }
            busySlots--;
            job.resultJson = resultJson;
            if (failure != null) {
                finish(job, QpuJobState.FAILED, reason, failure);
            } else {
                finish(job, QpuJobState.COMPLETED, null, null);
            }
            dispatch();
        }
    }

    private void finish(Job job, QpuJobState state, String reason, String message) {
        job.state = state;
        job.reason = reason;
        job.message = message;
        job.finishedAt = Instant.now();
        job.prepared = null; // free compiled circuits
        emit(DeviceEvent.Type.FINISHED, job);
        finishedOrder.addLast(job.id);
        while (finishedOrder.size() > options.retainedJobs()) {
            jobs.remove(finishedOrder.removeFirst());
        }
    }

    private double elapsedQpuSeconds(Job job) {
        if (options.timeScale() == 0) {
            return job.quantumSeconds;
        }
        return (System.nanoTime() - job.startedNanos) / 1e9 / options.timeScale();
    }

    private void emit(DeviceEvent.Type type, Job job) {
        publish(new DeviceEvent(++sequence, type, job.id, job.snapshot()));
    }

    private void emitDevice(DeviceEvent.Type type) {
        publish(new DeviceEvent(++sequence, type, null, null));
    }

    private void publish(DeviceEvent event) {
        try {
            notifier.execute(() -> {
                for (DeviceListener l : listeners) {
                    try {
                        l.onEvent(event);
                    } catch (RuntimeException e) {
                        // a failing listener must not stop the others or the device
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private Job find(String jobId) {
        Job job = jobs.get(jobId);
        if (job == null) {
            throw new UnknownJobException(jobId);
        }
        return job;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("device closed");
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        prepareLanes.shutdownNow();
        executionSlots.shutdownNow();
        timers.shutdownNow();
        notifier.shutdown();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
