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
    void seesAJobThatNeverEnded() {
        s.apply(new Event.JobSubmitted(JobSpec.of("j", "a", "qpu")));
        checker.checkEnd(s);
        assertThat(checker.violations).anyMatch(v -> v.contains("never ended"));
    }
}
