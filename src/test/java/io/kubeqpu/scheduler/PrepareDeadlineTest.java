package io.kubeqpu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A staged job holds a pre-processing lane: a QPU that never answers must not hold it forever. */
class PrepareDeadlineTest {

    @Test
    void aStagedJobWhoseQpuNeverAnswersIsAskedAgainThenFailsAndFreesItsLane() {
        VirtualClock clock = new VirtualClock();
        Scheduler s = new Scheduler(clock);
        s.apply(new Event.BackendConfigured(BackendSpec.of("qpu").withLanes(1)));
        s.apply(new Event.InstanceConfigured(InstanceSpec.of("a", Plan.PREMIUM)));
        assertThat(s.apply(new Event.JobSubmitted(JobSpec.of("j1", "a", "qpu")))).contains(new Decision.PrepareJob("j1", "qpu"));
        assertThat(s.apply(new Event.JobSubmitted(JobSpec.of("j2", "a", "qpu")))).doesNotContain(new Decision.PrepareJob("j2", "qpu"));

        for (int ask = 2; ask <= Scheduler.PREPARE_ATTEMPTS; ask++) {
            clock.advance(Scheduler.PREPARE_TIMEOUT);
            assertThat(s.apply(new Event.Tick())).as("request " + ask).contains(new Decision.PrepareJob("j1", "qpu"));
        }
        clock.advance(Scheduler.PREPARE_TIMEOUT);
        List<Decision> ds = s.apply(new Event.Tick());
        assertThat(s.job("j1").orElseThrow().phase()).isEqualTo(JobPhase.FAILED);
        assertThat(s.job("j1").orElseThrow().reason()).isEqualTo(Reasons.PREPARATION_FAILED);
        assertThat(s.job("j1").orElseThrow().message()).contains("did not finish pre-processing");
        assertThat(ds).as("the lane goes to the next job").contains(new Decision.PrepareJob("j2", "qpu"));
    }

    @Test
    void anAnswerInTimeCancelsTheDeadline() {
        VirtualClock clock = new VirtualClock();
        Scheduler s = new Scheduler(clock);
        s.apply(new Event.BackendConfigured(BackendSpec.of("qpu")));
        s.apply(new Event.InstanceConfigured(InstanceSpec.of("a", Plan.PREMIUM)));
        s.apply(new Event.JobSubmitted(JobSpec.of("j1", "a", "qpu")));
        s.apply(new Event.JobPrepared("j1"));
        clock.advance(Scheduler.PREPARE_TIMEOUT.multipliedBy(2));
        assertThat(s.apply(new Event.Tick())).doesNotContain(new Decision.PrepareJob("j1", "qpu"));
    }
}
