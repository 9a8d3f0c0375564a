package io.kubeqpu.dispatch;

import io.kubeqpu.scheduler.Event;

/** Where a QPU's reports go: the operator turns them into scheduler events (and results into ConfigMaps). */
public interface QpuReports {
    /**
     * A job finished on the QPU with this result JSON (after the scheduler heard of it).
     *
     * @param uid the job object's UID (the result's owner), or null when not known
     */
    void resultReady(String jobId, String uid, String resultJson, double quantumSeconds);

    void report(Event event);
}
