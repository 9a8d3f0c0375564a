package io.kubeqpu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A bug that throws while the scheduler fires a timer or fills one backend (not while it handles the event itself)
 * must not escape {@link Scheduler#apply}: the caller would lose the decisions already made, and every later event
 * would hit the same bug. It is reported as an {@code InternalError} decision and the other backends go on.
 */
class SafetyNetTest {

    @Test
    void aBackendWhoseLoopThrowsStopsNeitherApplyNorTheOtherBackends() throws Exception {
        SchedulerHarness h = new SchedulerHarness();
        h.backend(BackendSpec.of("broken"));
        h.backend(BackendSpec.of("fine"));
        h.instance(InstanceSpec.of("a", Plan.PREMIUM));
        h.submit(JobSpec.of("x", "a", "broken"));
        h.runFor(Duration.ofSeconds(1)); // prepared and started; it runs 10 s
        assertThat(h.job("x").phase()).isEqualTo(JobPhase.RUNNING);
        backends(h.scheduler).get("broken").spec = null; // a bug's effect: its loop now throws
        List<Decision>[] out = new List[1];
        assertThatCode(() -> out[0] = h.scheduler.apply(new Event.JobFinished("x", 1.0))).doesNotThrowAnyException();
        assertThat(h.scheduler.job("x").orElseThrow().phase()).isEqualTo(JobPhase.COMPLETED);
        h.submit(JobSpec.of("y", "a", "fine"));
        h.runFor(Duration.ofMinutes(1));
        assertThat(h.job("y").phase()).isEqualTo(JobPhase.COMPLETED);
        assertThat(out[0]).anySatisfy(d -> assertThat(d).isInstanceOfSatisfying(Decision.EventRejected.class,
                r -> assertThat(r.reason()).isEqualTo("InternalError")));
    }

    @Test
    void aTimerWhoseHandlingThrowsIsReportedOnceAndTimeGoesOn() throws Exception {
        SchedulerHarness h = new SchedulerHarness();
        h.backend(BackendSpec.of("qpu").withCalibration(Duration.ofSeconds(30), Duration.ofSeconds(5)));
        h.instance(InstanceSpec.of("a", Plan.PREMIUM));
        backends(h.scheduler).get("qpu").spec = null; // the calibration timer's handling and the loop now throw
        h.advanceClock(Duration.ofSeconds(40));
        assertThatCode(() -> h.scheduler.apply(new Event.Tick())).doesNotThrowAnyException();
        assertThatCode(() -> h.scheduler.apply(new Event.Tick())).doesNotThrowAnyException();
    }

    @SuppressWarnings("unchecked")
    static Map<String, BackendState> backends(Scheduler s) throws Exception {
        var f = Scheduler.class.getDeclaredField("state");
        f.setAccessible(true);
        return ((SchedulerState) f.get(s)).backends;
    }
}
