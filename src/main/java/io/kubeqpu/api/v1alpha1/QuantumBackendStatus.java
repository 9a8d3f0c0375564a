package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Observed state of a QuantumBackend. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("What the operator observes of the QPU: availability, lease, queue, calibration; conditions Ready, Available, Calibrating.")
public class QuantumBackendStatus extends ObservedStatus {
    @JsonPropertyDescription("True when the backend accepts and runs jobs (simulator ready, not offline).")
    private Boolean available;

    @JsonPropertyDescription("True when enough simulator pods are ready.")
    private Boolean simulatorReady;

    @JsonPropertyDescription("Current lease holder, absent when no workload holds the backend.")
    private BackendLease lease;

    @JsonPropertyDescription("Jobs waiting in the backend's queue.")
    private Integer queueLength;

    @JsonPropertyDescription("Jobs running on the QPU now.")
    private Integer runningJobs;

    @JsonPropertyDescription("True while a calibration runs.")
    private Boolean calibrating;

    @JsonPropertyDescription("When the last calibration finished (RFC 3339).")
    private String lastCalibrationAt;

    @JsonPropertyDescription("When the next calibration is due (RFC 3339).")
    private String nextCalibrationAt;

    @JsonPropertyDescription("End of the calibration in progress (RFC 3339).")
    private String calibratingUntil;

    public Boolean getAvailable() {
        return available;
    }

    public void setAvailable(Boolean available) {
        this.available = available;
    }

    public Boolean getSimulatorReady() {
        return simulatorReady;
    }

    public void setSimulatorReady(Boolean simulatorReady) {
        this.simulatorReady = simulatorReady;
    }

    public BackendLease getLease() {
        return lease;
    }

    public void setLease(BackendLease lease) {
        this.lease = lease;
    }

    public Integer getQueueLength() {
        return queueLength;
    }

    public void setQueueLength(Integer queueLength) {
        this.queueLength = queueLength;
    }

    public Integer getRunningJobs() {
        return runningJobs;
    }

    public void setRunningJobs(Integer runningJobs) {
        this.runningJobs = runningJobs;
    }

    public Boolean getCalibrating() {
        return calibrating;
    }

    public void setCalibrating(Boolean calibrating) {
        this.calibrating = calibrating;
    }

    public String getLastCalibrationAt() {
        return lastCalibrationAt;
    }

    public void setLastCalibrationAt(String lastCalibrationAt) {
        this.lastCalibrationAt = lastCalibrationAt;
    }

    public String getNextCalibrationAt() {
        return nextCalibrationAt;
    }

    public void setNextCalibrationAt(String nextCalibrationAt) {
        this.nextCalibrationAt = nextCalibrationAt;
    }

    public String getCalibratingUntil() {
        return calibratingUntil;
    }

    public void setCalibratingUntil(String calibratingUntil) {
        this.calibratingUntil = calibratingUntil;
    }
}
