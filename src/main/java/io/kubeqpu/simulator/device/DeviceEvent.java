package io.kubeqpu.simulator.device;

/**
 * A state change a device reports, numbered in the order it happened.
 *
 * @param jobId  null for calibration events
 * @param status the job's status right after the change; null for calibration events
 */
public record DeviceEvent(long sequence, Type type, String jobId, JobStatus status) {

    public enum Type { PREPARED, STARTED, FINISHED, CALIBRATION_STARTED, CALIBRATION_FINISHED }
}
