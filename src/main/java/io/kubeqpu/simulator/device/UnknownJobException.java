package io.kubeqpu.simulator.device;

/** The device has never seen (or has already forgotten) this job id. */
public class UnknownJobException extends RuntimeException {
    public UnknownJobException(String jobId) {
        super("unknown job '" + jobId + "'");
    }
}
