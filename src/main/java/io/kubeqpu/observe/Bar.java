package io.kubeqpu.observe;

import java.time.Instant;

/**
 * One interval on a backend's lane.
 *
 * @param id       the job id, the workload id (leases) or the backend name (calibration)
 * @param end      null while it lasts
 * @param outcome  a job's terminal phase (COMPLETED, FAILED, ...), a lease's release reason; null while it lasts
 */
public record Bar(BarKind kind, String id, String label, String workload, String instance, Instant start, Instant end,
                  String outcome) {

    Bar closed(Instant at, String outcome) {
        return new Bar(kind, id, label, workload, instance, start, at.isBefore(start) ? start : at, outcome);
    }

    boolean ongoing() {
        return end == null;
    }
}
