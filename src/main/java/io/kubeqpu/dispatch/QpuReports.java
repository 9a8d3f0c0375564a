package io.kubeqpu.dispatch;

import io.kubeqpu.scheduler.Event;

/** Where a QPU's reports go: the operator turns them into scheduler events (and results into ConfigMaps). */
public interface QpuReports {
    /** A job finished on the QPU with this result JSON; called before the scheduler hears of it. */
    void resultReady(String jobId, String resultJson, double quantumSeconds);

    void report(Event event);
}
