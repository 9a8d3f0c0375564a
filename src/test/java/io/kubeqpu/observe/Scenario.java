package io.kubeqpu.observe;

import io.kubeqpu.scheduler.BackendSpec;
import io.kubeqpu.scheduler.InstanceSpec;
import io.kubeqpu.scheduler.JobSpec;
import io.kubeqpu.scheduler.Plan;
import io.kubeqpu.scheduler.SchedulerHarness;
import io.kubeqpu.scheduler.WorkloadSpec;
import java.time.Duration;

/**
 * One backend on a virtual clock through all three modes: a single job, a 3-job batch, a 2-job session whose
 * interactive TTL runs out, and a calibration every 30 s. Jobs take 10 s each.
 */
final class Scenario {
    static final Duration CALIBRATION_INTERVAL = Duration.ofSeconds(30);
    static final Duration CALIBRATION_DURATION = Duration.ofSeconds(5);

    private Scenario() {}

    static SchedulerHarness harness() {
        SchedulerHarness h = new SchedulerHarness();
        h.backend(BackendSpec.of("qpu").withCalibration(CALIBRATION_INTERVAL, CALIBRATION_DURATION));
        h.instance(InstanceSpec.of("lab", Plan.PREMIUM));
        return h;
    }

    static void run(SchedulerHarness h) {
        h.submit(JobSpec.of("default/single", "lab", "qpu"));
        h.workload(WorkloadSpec.batch("batch:default/sweep", "lab", "qpu").withTTLs(Duration.ofHours(1), Duration.ofSeconds(5)));
        for (int k = 1; k <= 3; k++) h.submit(JobSpec.inWorkload("default/sweep-" + k, "batch:default/sweep"));
        h.workload(WorkloadSpec.session("session:default/vqe", "lab", "qpu").withTTLs(Duration.ofHours(1), Duration.ofSeconds(20)));
        for (int k = 1; k <= 2; k++) h.submit(JobSpec.inWorkload("default/vqe-" + k, "session:default/vqe"));
        h.runFor(Duration.ofMinutes(3));
    }
}
