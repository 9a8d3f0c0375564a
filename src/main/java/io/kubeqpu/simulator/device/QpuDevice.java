package io.kubeqpu.simulator.device;

import io.kubeqpu.simulator.BackendProfile;
import io.kubeqpu.simulator.PrimitiveRequest;
import java.time.Duration;

/**
 * A QPU as the dispatcher drives it, in-process ({@link InProcessQpuDevice}) or over HTTP
 * ({@link io.kubeqpu.simulator.http.SimulatorHttpClient}). Every call is idempotent by job id.
 */
public interface QpuDevice extends AutoCloseable {

    BackendProfile backend();

    /**
     * Starts the classical pre-processing in a prepare lane and returns at once. Preparing an id again
     * returns its current status and changes nothing. Completion is reported as a
     * {@link DeviceEvent.Type#PREPARED} event, a refusal as {@link DeviceEvent.Type#FINISHED} with
     * state {@link QpuJobState#FAILED} and the reason code.
     */
    JobStatus prepare(String jobId, PrimitiveRequest request);

    /** Queues the job for a QPU slot (after preparation if that is still running). Harmless when repeated. */
    JobStatus start(String jobId);

    /** Cancels a job in any non-terminal state; a running job frees its slot at once. */
    JobStatus cancel(String jobId);

    JobStatus status(String jobId);

    /** Occupies every slot for {@code duration} (scaled by the time scale) once running jobs have drained. */
    void calibrate(Duration duration);

    DeviceStatus deviceStatus();

    void addListener(DeviceListener listener);

    @Override
    void close();
}
