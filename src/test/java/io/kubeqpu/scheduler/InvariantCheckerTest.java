package io.kubeqpu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The property tests are only as good as their checker: it must see a broken invariant. */
class InvariantCheckerTest {
    final VirtualClock clock = new VirtualClock();
    final Scheduler s = new Scheduler(clock);
    final InvariantChecker checker = new InvariantChecker();
    final Instant t = clock.instant();

    InvariantCheckerTest() {
        s.apply(new Event.BackendConfigured(BackendSpec.of("qpu")));
        s.apply(new Event.InstanceConfigured(InstanceSpec.of("a", Plan.PREMIUM)));
        s.apply(new Event.WorkloadCreated(WorkloadSpec.session("sess", "a", "qpu")));
    }

    @Test
    void seesAJobStartedInsideAnotherSession() {
        checker.observe(s, t, List.of(new Decision.LeaseAcquired("sess", "qpu", LeaseMode.EXCLUSIVE, t),
                new Decision.StartJob("intruder", "qpu", null)));
        assertThat(checker.violations).singleElement().asString().contains("inside session sess");
    }

    @Test
    void seesCalibrationInsideASessionAndDoubleStartsAndTooManyRunning() {
        checker.observe(s, t, List.of(new Decision.LeaseAcquired("sess", "qpu", LeaseMode.EXCLUSIVE, t),
                new Decision.StartCalibration("qpu", t.plusSeconds(5))));
        checker.observe(s, t, List.of(new Decision.StartJob("j", "other", null), new Decision.StartJob("j", "other", null)));
        assertThat(checker.violations).anyMatch(v -> v.contains("calibration on qpu inside session"))
                .anyMatch(v -> v.contains("started 2 times"));
    }

    @Test
    void seesABatchTakingASecondSlotWhileASingleJobWaits() {
        s.apply(new Event.BackendConfigured(BackendSpec.of("wide").withParallelism(3)));
        s.apply(new Event.WorkloadCreated(WorkloadSpec.batch("batch", "a", "wide")));
        s.apply(new Event.JobSubmitted(JobSpec.of("single", "a", "wide")));
        var lease = new Decision.LeaseAcquired("batch", "wide", LeaseMode.SHARED, t);
        checker.observe(s, t, List.of(lease, new Decision.StartJob("b1", "wide", "batch"),
                new Decision.StartJob("b2", "wide", "batch"))); // nobody waits: both slots are fine
        assertThat(checker.violations).isEmpty();
        checker.observe(s, t, List.of(new Decision.JobPhaseChanged("single", JobPhase.QUEUED, null, null),
                new Decision.StartJob("b3", "wide", "batch")));
        assertThat(checker.violations).singleElement().asString().contains("batch batch took a second slot on wide for b3 while job single waited");
    }

    @Test
    void seesJobsOfAnInstanceOrASessionStartingOutOfArrivalOrder() {
        for (String id : List.of("first", "second")) s.apply(new Event.JobSubmitted(JobSpec.of(id, "a", "qpu")));
        for (String id : List.of("s1", "s2")) s.apply(new Event.JobSubmitted(JobSpec.inWorkload(id, "sess")));
        checker.observe(s, t, List.of(queued("first"), queued("second"), queued("s1"), queued("s2"),
                new Decision.StartJob("second", "qpu", null), new Decision.JobPhaseChanged("second", JobPhase.COMPLETED, null, null),
                new Decision.StartJob("s2", "qpu", "sess")));
        assertThat(checker.violations).hasSize(2)
                .anyMatch(v -> v.contains("second (arrival 1) started before first (arrival 0) of the same instance's normal queue"))
                .anyMatch(v -> v.contains("s2") && v.contains("before s1") && v.contains("same session"));
    }

    @Test
    void aRetryOrAnotherInstancesJobIsNotOutOfOrder() {
        s.apply(new Event.InstanceConfigured(InstanceSpec.of("b", Plan.PREMIUM)));
        for (String id : List.of("first", "second")) s.apply(new Event.JobSubmitted(JobSpec.of(id, "a", "qpu")));
        s.apply(new Event.JobSubmitted(JobSpec.of("other", "b", "qpu")));
        checker.observe(s, t, List.of(queued("first"), queued("second"), queued("other"),
                new Decision.StartJob("other", "qpu", null), // fair share may put b first: another instance
                new Decision.JobPhaseChanged("other", JobPhase.COMPLETED, null, null),
                new Decision.StartJob("first", "qpu", null),
                new Decision.JobPhaseChanged("first", JobPhase.QUEUED, Reasons.BACKEND_UNAVAILABLE, "retrying once"),
                new Decision.StartJob("second", "qpu", null))); // first waits for its retry, not its first start
        assertThat(checker.violations).isEmpty();
    }

    static Decision queued(String job) {
        return new Decision.JobPhaseChanged(job, JobPhase.QUEUED, null, null);
    }

    @Test
    void seesAJobThatNeverEnded() {
        s.apply(new Event.JobSubmitted(JobSpec.of("j", "a", "qpu")));
        checker.checkEnd(s);
        assertThat(checker.violations).anyMatch(v -> v.contains("never ended"));
    }
}
