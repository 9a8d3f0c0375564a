package io.kubeqpu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Nothing in the scheduler grows with the number of jobs that were run and deleted. */
class ChurnTest {

    @Test
    void tenThousandJobsRunAndDeletedLeaveNoStateBehind() {
        SchedulerHarness h = new SchedulerHarness();
        h.durations = id -> Duration.ofMillis(100);
        h.backend(BackendSpec.of("qpu").withParallelism(4));
        h.instance(InstanceSpec.of("a", Plan.PREMIUM));
        for (int wave = 0; wave < 10; wave++) {
            for (int k = 0; k < 1000; k++) h.submit(JobSpec.of("j" + k, "a", "qpu")); // names re-used every wave
            h.runFor(Duration.ofMinutes(2));
            for (int k = 0; k < 1000; k++) {
                assertThat(h.job("j" + k).phase()).isEqualTo(JobPhase.COMPLETED);
                h.apply(new Event.JobDeleted("j" + k));
            }
        }
        assertThat(h.scheduler.jobs()).isEmpty();
        // Every job left a 3 h max-execution timer behind when it finished in 100 ms: they must not pile up.
        assertThat(h.scheduler.pendingTimers()).isLessThan(4200);
    }
}
