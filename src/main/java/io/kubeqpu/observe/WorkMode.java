package io.kubeqpu.observe;

import io.kubeqpu.scheduler.JobView;
import io.kubeqpu.scheduler.Scheduler;
import io.kubeqpu.scheduler.WorkloadKind;

/** Qiskit Runtime's execution mode a job runs in, as metrics label it ({@code job|batch|session}). */
public enum WorkMode {
    JOB, BATCH, SESSION;

    public String label() {
        return name().toLowerCase();
    }

    /** A job with no workload runs in job mode; otherwise its workload's kind says which. */
    public static WorkMode of(JobView job, Scheduler scheduler) {
        if (job == null || job.workload() == null) return JOB;
        return scheduler.workload(job.workload())
                .map(w -> w.kind() == WorkloadKind.SESSION ? SESSION : BATCH)
                // A forgotten workload: its id still says which kind it was (session:ns/name, batch:ns/name).
                .orElse(job.workload().startsWith("session:") ? SESSION : BATCH);
    }
}
