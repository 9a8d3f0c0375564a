package io.kubeqpu.dispatch;

import io.kubeqpu.scheduler.Event;
import io.kubeqpu.simulator.BackendProfile;
import io.kubeqpu.simulator.PrimitiveRequest;
import io.kubeqpu.simulator.device.DeviceEvent;
import io.kubeqpu.simulator.device.DeviceOptions;
import io.kubeqpu.simulator.device.InProcessQpuDevice;
import io.kubeqpu.simulator.device.JobState;
import io.kubeqpu.simulator.device.JobStatus;
import io.kubeqpu.simulator.device.QpuDevice;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The QPUs, one device per backend, and the translation between scheduler decisions and device calls.
 *
 * <p>Devices are idempotent by job id, so a decision carried out twice (after an operator restart) does no
 * harm. The fleet outlives an operator restart in tests, as simulator pods do on a cluster.
 */
public final class QpuFleet implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(QpuFleet.class);

    /** Makes the device of a backend: in process by default; an HTTP client to its simulator pod on a cluster. */
    public interface DeviceFactory {
        QpuDevice create(BackendProfile profile, DeviceOptions options);
    }

    private final Map<String, QpuDevice> devices = new ConcurrentHashMap<>();
    private final Map<String, PrimitiveRequest> requests = new ConcurrentHashMap<>();
    /** Each backend's time scale: a prepared job's modelled QPU time × this = how long it holds its slot. */
    private final Map<String, Double> timeScales = new ConcurrentHashMap<>();
    private final DeviceFactory factory;
    private volatile QpuReports reports;

    public QpuFleet(DeviceFactory factory) {
        this.factory = factory;
    }

    public static QpuFleet inProcess() {
        return new QpuFleet(InProcessQpuDevice::new);
    }

    /** Connects the fleet to an operator; a restarted operator connects again. */
    public synchronized void connect(QpuReports reports) {
        this.reports = reports;
    }

    /** Disconnects {@code reports} if it is the one connected (a stopping operator must not cut off its successor). */
    public synchronized void disconnect(QpuReports reports) {
        if (this.reports == reports) this.reports = null;
    }

    /** Creates the backend's device if it has none, or replaces it when its profile or options changed and it is idle. */
    public QpuDevice ensure(String backend, BackendProfile profile, DeviceOptions options) {
        timeScales.put(backend, options.timeScale());
        return devices.compute(backend, (name, existing) -> {
            if (existing != null) return existing;
            QpuDevice d = factory.create(profile, options);
            d.addListener(e -> onEvent(name, e));
            LOG.infof("QPU device for backend %s: %d qubits, %d slot(s), time scale %s", name, profile.numQubits(),
                    options.parallelism(), options.timeScale());
            return d;
        });
    }

    public Optional<QpuDevice> device(String backend) {
        return Optional.ofNullable(devices.get(backend));
    }

    public void remove(String backend) {
        QpuDevice d = devices.remove(backend);
        if (d != null) d.close();
    }

    /** Remembers what a job asks the QPU to run, until it is prepared. */
    public void register(String jobId, PrimitiveRequest request) {
        requests.put(jobId, request);
    }

    public boolean knows(String jobId) {
        return requests.containsKey(jobId);
    }

    public void forget(String jobId) {
        requests.remove(jobId);
    }

    // ------------------------------------------------------------------ decisions → device

    public void prepare(String jobId, String backend, Function<String, PrimitiveRequest> loader) {
        QpuDevice d = devices.get(backend);
        if (d == null) {
            send(new Event.BackendAvailability(backend, false, "backend " + backend + " has no QPU device"));
            return;
        }
        PrimitiveRequest request = requests.computeIfAbsent(jobId, loader);
        if (request == null) {
            send(new Event.JobPreparationFailed(jobId, "InvalidSpec", "the job's request could not be read"));
            return;
        }
        try {
            JobStatus st = d.prepare(deviceId(jobId), request);
            // Already prepared before (an operator restart): the device will not report it again.
            if (st.state() == JobState.PREPARED || st.state() == JobState.WAITING) send(prepared(jobId, backend, st));
        } catch (RuntimeException e) {
            unreachable(backend, e);
        }
    }

    public void start(String jobId, String backend) {
        QpuDevice d = devices.get(backend);
        if (d == null) {
            send(new Event.JobLost(jobId, "backend " + backend + " has no QPU device"));
            return;
        }
        try {
            d.start(deviceId(jobId));
        } catch (RuntimeException e) {
            send(new Event.JobLost(jobId, "could not start it on " + backend + ": " + e.getMessage()));
            unreachable(backend, e);
        }
    }

    public void stop(String jobId, String backend) {
        QpuDevice d = devices.get(backend);
        requests.remove(jobId);
        if (d == null) return;
        try {
            d.cancel(deviceId(jobId));
        } catch (RuntimeException e) {
            LOG.debugf("cancel of %s on %s failed: %s", jobId, backend, e.getMessage());
        }
    }

    public void calibrate(String backend, Duration duration) {
        QpuDevice d = devices.get(backend);
        if (d == null) return;
        try {
            d.calibrate(duration);
        } catch (RuntimeException e) {
            unreachable(backend, e);
        }
    }

    /** The QPU does not answer (its pod died or restarts): the backend is down until its reconciler sees it ready. */
    private void unreachable(String backend, RuntimeException e) {
        LOG.warnf("QPU of backend %s unreachable: %s", backend, e.getMessage());
        send(new Event.BackendAvailability(backend, false, "QPU unreachable: " + e.getMessage()));
    }

    // ------------------------------------------------------------------ device → scheduler

    private void onEvent(String backend, DeviceEvent e) {
        if (e.jobId() == null) return; // calibration: the scheduler keeps its own clock for it
        String jobId = jobId(e.jobId());
        if (e.type() == DeviceEvent.Type.PREPARED) {
            send(prepared(jobId, backend, e.status()));
        } else if (e.type() == DeviceEvent.Type.FINISHED) {
            JobStatus st = e.status();
            double qs = st.quantumSeconds() == null ? 0 : st.quantumSeconds();
            requests.remove(jobId);
            switch (st.state()) {
                case COMPLETED -> {
                    // The scheduler first, so the next job starts on the QPU at once; the result is saved after, and
                    // the status writer shows Completed only once it is (see StatusRecorder).
                    send(new Event.JobFinished(jobId, qs));
                    QpuReports r = reports;
                    if (r != null) r.resultReady(jobId, st.resultJson(), qs);
                }
                // Refused while being prepared (bad circuit, too wide, …), or failed on the QPU after its start.
                case FAILED -> send(st.startRequested()
                        ? new Event.JobFailed(jobId, st.reason(), st.message(), qs)
                        : new Event.JobPreparationFailed(jobId, st.reason(), st.message()));
                default -> { } // CANCELLED: the scheduler asked for it and already knows.
            }
        }
    }

    /** Carries the timing model's QPU time, so that a job that cannot end within its maxExecutionTime never starts. */
    private Event.JobPrepared prepared(String jobId, String backend, JobStatus st) {
        return new Event.JobPrepared(jobId, st == null ? null : st.quantumSeconds(), timeScales.getOrDefault(backend, 1.0));
    }

    /**
     * The QPU's id for a job: {@code namespace_name}. Device ids allow no '/', and Kubernetes names no '_', so the
     * first '_' is where the namespace ends.
     */
    static String deviceId(String jobId) {
        return jobId.replace('/', '_');
    }

    static String jobId(String deviceId) {
        return deviceId.replaceFirst("_", "/");
    }

    /** The QPU's view of a job (restart recovery), or null when the QPU does not know it or cannot be reached. */
    public JobStatus status(String backend, String jobId) {
        QpuDevice d = devices.get(backend);
        if (d == null) return null;
        try {
            return d.status(deviceId(jobId));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void send(Event e) {
        QpuReports r = reports;
        if (r != null) r.report(e);
        else LOG.debugf("no operator connected; dropped %s", e);
    }

    @Override
    public void close() {
        devices.values().forEach(QpuDevice::close);
        devices.clear();
    }
}
