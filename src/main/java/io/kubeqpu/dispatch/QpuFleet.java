package io.kubeqpu.dispatch;

import io.kubeqpu.scheduler.Event;
import io.kubeqpu.simulator.BackendProfile;
import io.kubeqpu.simulator.PrimitiveRequest;
import io.kubeqpu.simulator.device.DeviceEvent;
import io.kubeqpu.simulator.device.DeviceOptions;
import io.kubeqpu.simulator.device.InProcessQpuDevice;
import io.kubeqpu.simulator.device.QpuJobState;
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
    /** Unfinished jobs this fleet was told of, by scheduler id; evicted when they end or are forgotten. */
    private final Map<String, Tracked> jobs = new ConcurrentHashMap<>();
    /** The reverse of {@link Tracked#deviceId}: a QPU report about an id nobody registered is an old object's. */
    private final Map<String, String> byDeviceId = new ConcurrentHashMap<>();
    /** Each backend's time scale: a prepared job's modelled QPU time × this = how long it holds its slot. */
    private final Map<String, Double> timeScales = new ConcurrentHashMap<>();
    private final DeviceFactory factory;
    private volatile QpuReports reports;

    /**
     * A job as the fleet knows it: its object's UID makes its QPU id, so a job deleted and re-created under the same
     * name is a new job to the QPU too; the request is kept only until the job is prepared.
     */
    private record Tracked(String uid, String deviceId, PrimitiveRequest request) {}

    /** What loading a job's object gives the fleet when it was not registered (after a restart). */
    public record JobRef(String uid, PrimitiveRequest request) {}

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

    /**
     * Creates the backend's device if it has none. An in-process device made from an older spec (qubits, basis gates,
     * parallelism, timing) is replaced once it holds no unfinished job; until then it keeps the spec its jobs were
     * prepared with, and the backend's next reconcile (its status changes as those jobs end) tries again. A simulator
     * pod gets a changed spec by its Deployment being replaced.
     */
    public QpuDevice ensure(String backend, BackendProfile profile, DeviceOptions options) {
        timeScales.put(backend, options.timeScale());
        return devices.compute(backend, (name, existing) -> {
            if (existing instanceof io.kubeqpu.simulator.device.InProcessQpuDevice old
                    && !(old.backend().equals(profile) && old.options().equals(options))) {
                if (old.unfinishedJobs() > 0) return existing;
                old.close();
                existing = null;
            }
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

    /** Remembers a job (its UID and what it asks the QPU to run) until it ends or is forgotten. */
    public void register(String jobId, String uid, PrimitiveRequest request) {
        Tracked old = jobs.put(jobId, new Tracked(uid, deviceId(jobId, uid), request));
        if (old != null) byDeviceId.remove(old.deviceId());
        byDeviceId.put(deviceId(jobId, uid), jobId);
    }

    public boolean knows(String jobId) {
        return jobs.containsKey(jobId);
    }

    /** Forgets a job (deleted, or ended): its QPU reports are dropped from now on. */
    public void forget(String jobId) {
        Tracked t = jobs.remove(jobId);
        if (t != null) byDeviceId.remove(t.deviceId());
    }

    /** How many jobs the fleet tracks (the churn benchmark checks that deleted ones are evicted). */
    public int trackedJobs() {
        return jobs.size();
    }

    // ------------------------------------------------------------------ decisions → device

    public void prepare(String jobId, String backend, Function<String, JobRef> loader) {
        QpuDevice d = devices.get(backend);
        if (d == null) {
            send(new Event.BackendAvailability(backend, false, "backend " + backend + " has no QPU device"));
            return;
        }
        Tracked t = jobs.get(jobId);
        if (t == null || t.request() == null) {
            JobRef ref = loader.apply(jobId);
            if (ref == null || ref.request() == null) {
                send(new Event.JobPreparationFailed(jobId, "InvalidSpec", "the job's request could not be read"));
                return;
            }
            if (t == null || !java.util.Objects.equals(t.uid(), ref.uid())) register(jobId, ref.uid(), ref.request());
            else jobs.put(jobId, new Tracked(t.uid(), t.deviceId(), ref.request()));
            t = jobs.get(jobId);
        }
        try {
            JobStatus st = d.prepare(t.deviceId(), t.request());
            // Prepared: the request is on the QPU now, keep only the job's identity.
            jobs.computeIfPresent(jobId, (k, v) -> new Tracked(v.uid(), v.deviceId(), null));
            // Already known to the QPU (an operator restart): it will not report it again, so its answer is the event.
            if (st.state() == QpuJobState.PREPARED || st.state() == QpuJobState.WAITING) send(prepared(jobId, backend, st));
            else if (st.state() == QpuJobState.RUNNING || st.state() == QpuJobState.COMPLETED) send(prepared(jobId, backend, st));
            else if (st.state() == QpuJobState.FAILED && !st.startRequested())
                send(new Event.JobPreparationFailed(jobId, st.reason(), st.message()));
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
            JobStatus st = d.start(deviceId(jobId));
            // The QPU had already finished it (it ran before an operator restart): it reports nothing more.
            if (st != null && (st.state() == QpuJobState.COMPLETED || st.state() == QpuJobState.FAILED)) finished(jobId, st);
            else if (st != null && st.state() == QpuJobState.CANCELLED)
                send(new Event.JobLost(jobId, "the QPU had cancelled it"));
        } catch (RuntimeException e) {
            send(new Event.JobLost(jobId, "could not start it on " + backend + ": " + e.getMessage()));
            unreachable(backend, e);
        }
    }

    public void stop(String jobId, String backend) {
        QpuDevice d = devices.get(backend);
        String deviceId = deviceId(jobId);
        forget(jobId);
        if (d == null) return;
        try {
            d.cancel(deviceId);
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
        String jobId = byDeviceId.get(e.jobId());
        if (jobId == null) {
            // An object deleted (and perhaps re-created under its name) or one this operator has not restored yet.
            LOG.debugf("QPU of %s reported %s about %s, which no current job is", backend, e.type(), e.jobId());
            return;
        }
        if (e.type() == DeviceEvent.Type.PREPARED) {
            send(prepared(jobId, backend, e.status()));
        } else if (e.type() == DeviceEvent.Type.FINISHED) {
            finished(jobId, e.status());
        }
    }

    private void finished(String jobId, JobStatus st) {
        double qs = st.quantumSeconds() == null ? 0 : st.quantumSeconds();
        Tracked t = jobs.get(jobId);
        forget(jobId);
        switch (st.state()) {
            case COMPLETED -> {
                // The scheduler first, so the next job starts on the QPU at once; the result is saved after, and
                // the status writer shows Completed only once it is (see StatusRecorder).
                send(new Event.JobFinished(jobId, qs));
                QpuReports r = reports;
                if (r != null) r.resultReady(jobId, t == null ? null : t.uid(), st.resultJson(), qs);
            }
            // Refused while being prepared (bad circuit, too wide, …), or failed on the QPU after its start.
            case FAILED -> send(st.startRequested()
                    ? new Event.JobFailed(jobId, st.reason(), st.message(), qs)
                    : new Event.JobPreparationFailed(jobId, st.reason(), st.message()));
            default -> { } // CANCELLED: the scheduler asked for it and already knows.
        }
    }

    /** Carries the timing model's QPU time, so that a job that cannot end within its maxExecutionTime never starts. */
    private Event.JobPrepared prepared(String jobId, String backend, JobStatus st) {
        return new Event.JobPrepared(jobId, st == null ? null : st.quantumSeconds(), timeScales.getOrDefault(backend, 1.0));
    }

    /**
     * The QPU's id for a job: {@code namespace_name_uid} (Kubernetes names and UIDs have no '_'); just the UID when
     * that would be too long for an id. Without a UID (tests driving the fleet directly) {@code namespace_name}.
     */
    static String deviceId(String jobId, String uid) {
        String readable = jobId.replace('/', '_') + (uid == null ? "" : "_" + uid);
        return readable.length() <= 253 || uid == null ? readable : uid;
    }

    private String deviceId(String jobId) {
        Tracked t = jobs.get(jobId);
        return t != null ? t.deviceId() : deviceId(jobId, null);
    }

    /** The QPU's answer about a job at restore: it knows it, it does not, or it could not be asked. */
    public sealed interface QpuAnswer {
        record Known(JobStatus status) implements QpuAnswer {}
        record Unknown() implements QpuAnswer {}
        record Unreachable(String why) implements QpuAnswer {}
    }

    /** The QPU's view of a registered job (restart recovery). */
    public QpuAnswer ask(String backend, String jobId) {
        QpuDevice d = devices.get(backend);
        if (d == null) return new QpuAnswer.Unreachable("backend " + backend + " has no QPU device");
        try {
            return new QpuAnswer.Known(d.status(deviceId(jobId)));
        } catch (io.kubeqpu.simulator.device.UnknownJobException e) {
            return new QpuAnswer.Unknown();
        } catch (RuntimeException e) {
            return new QpuAnswer.Unreachable(String.valueOf(e.getMessage()));
        }
    }

    /** The QPU's view of a job, or null when the QPU does not know it or cannot be reached. */
    public JobStatus status(String backend, String jobId) {
        return ask(backend, jobId) instanceof QpuAnswer.Known k ? k.status() : null;
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
