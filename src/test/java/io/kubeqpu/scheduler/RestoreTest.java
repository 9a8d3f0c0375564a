package io.kubeqpu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A scheduler rebuilt from a snapshot mid-workload changes no deadline and loses or repeats no job. */
class RestoreTest {

    static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    @Test
    void restartInTheMiddleOfASessionKeepsLeaseDeadlinesAndJobs() {
        SchedulerHarness h = new SchedulerHarness();
        h.backend(BackendSpec.of("qpu"));
        h.instance(InstanceSpec.of("a", Plan.PREMIUM));
        h.instance(InstanceSpec.of("b", Plan.PREMIUM));
        h.workload(WorkloadSpec.session("sess", "a", "qpu").withTTLs(s(100), s(30)));
        for (int k = 0; k < 3; k++) h.submit(JobSpec.inWorkload("s" + k, "sess"));
        h.submit(JobSpec.of("other", "b", "qpu"));
        h.runFor(s(15)); // s0 done, s1 running since 10 s

        WorkloadView before = h.workloadView("sess");
        SchedulerSnapshot snap = h.scheduler.snapshot();
        h.scheduler = Scheduler.restore(h.clock, SchedulerConfig.defaults(), snap);

        WorkloadView after = h.workloadView("sess");
        assertThat(after.maxTTLDeadline()).isEqualTo(before.maxTTLDeadline());
        assertThat(after.startedAt()).isEqualTo(before.startedAt());
        assertThat(after.leaseMode()).isEqualTo(LeaseMode.EXCLUSIVE);
        assertThat(after.leaseAcquiredAt()).isEqualTo(before.leaseAcquiredAt());
        assertThat(h.job("s1").phase()).isEqualTo(JobPhase.RUNNING);

        h.runFor(s(200));
        assertThat(h.starts).allSatisfy((job, n) -> assertThat(n).as(job).isEqualTo(1));
        assertThat(h.startOrder()).containsExactly("s0", "s1", "s2", "other");
        assertThat(h.job("s2").phase()).isEqualTo(JobPhase.COMPLETED);
        // Interactive TTL from s2's end at 30 s: lease released at 60 s, then other runs.
        assertThat(h.job("other").startedAt()).isEqualTo(h.at(s(60)));
    }

    @Test
    void deadlinesThatPassedWhileDownFireAtOnceWithTheirOriginalValues() {
        SchedulerHarness h = new SchedulerHarness();
        h.backend(BackendSpec.of("qpu"));
        h.instance(InstanceSpec.of("a", Plan.PREMIUM));
        h.workload(WorkloadSpec.batch("batch", "a", "qpu").withTTLs(s(25), s(60)));
        for (int k = 0; k < 5; k++) h.submit(JobSpec.inWorkload("j" + k, "batch"));
        h.runFor(s(12));
        SchedulerSnapshot snap = h.scheduler.snapshot();

        // Operator down for a minute; the QPU finished j1 meanwhile (reported after restart).
        h.clock.advance(s(60));
        h.scheduler = Scheduler.restore(h.clock, SchedulerConfig.defaults(), snap);
        h.apply(new Event.JobFinished("j1", 10));
        WorkloadView w = h.workloadView("batch");
        assertThat(w.phase()).isEqualTo(WorkloadPhase.EXPIRED);
        assertThat(w.maxTTLDeadline()).isEqualTo(h.at(s(25)));
        assertThat(h.job("j2").reason()).isEqualTo(Reasons.MAX_TTL_EXPIRED);
        assertThat(h.job("j1").phase()).isEqualTo(JobPhase.COMPLETED);
    }

    @Test
    void queuedJobsKeepTheirFifoPlaceAndUsageSurvives() {
        SchedulerHarness h = new SchedulerHarness();
        h.backend(BackendSpec.of("qpu"));
        h.instance(InstanceSpec.of("a", Plan.PREMIUM).withUsageLimit(1000.0));
        for (int k = 0; k < 5; k++) h.submit(JobSpec.of("a" + k, "a", "qpu"));
        h.runFor(s(25));
        double usage = h.scheduler.instance("a").orElseThrow().usageSeconds();
        h.scheduler = Scheduler.restore(h.clock, SchedulerConfig.defaults(), h.scheduler.snapshot());
        assertThat(h.scheduler.instance("a").orElseThrow().usageSeconds()).isEqualTo(usage);
        h.runFor(s(100));
        assertThat(h.startOrder()).containsExactly("a0", "a1", "a2", "a3", "a4");
        assertThat(h.starts.values()).containsOnly(1);
    }
}
