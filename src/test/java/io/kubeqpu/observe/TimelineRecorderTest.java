package io.kubeqpu.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeqpu.scheduler.SchedulerHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineRecorderTest {

    @Test
    void leasesJobsByModeAndCalibrationsBecomeBarsOnTheirBackend() {
        SchedulerHarness h = Scenario.harness();
        TimelineRecorder rec = new TimelineRecorder(() -> h.scheduler, h.clock);
        h.listener = (t, ds) -> rec.accept(ds);
        Scenario.run(h);

        List<Bar> bars = rec.bars("qpu");
        assertThat(rec.backends()).containsExactly("qpu");
        assertThat(bars).filteredOn(b -> b.kind() == BarKind.SINGLE_JOB).extracting(Bar::label).containsExactly("single");
        assertThat(bars).filteredOn(b -> b.kind() == BarKind.BATCH_JOB).extracting(Bar::label)
                .containsExactlyInAnyOrder("sweep-1", "sweep-2", "sweep-3");
        assertThat(bars).filteredOn(b -> b.kind() == BarKind.SESSION_JOB).hasSize(2);
        assertThat(bars).filteredOn(b -> b.kind() == BarKind.BATCH_LEASE).singleElement()
                .satisfies(b -> assertThat(b.label()).isEqualTo("sweep"));
        assertThat(bars).filteredOn(b -> b.kind() == BarKind.SESSION_LEASE).singleElement()
                .satisfies(b -> {
                    assertThat(b.label()).isEqualTo("vqe");
                    assertThat(b.end()).as("released once its interactive TTL ran out").isNotNull();
                });
        assertThat(bars).filteredOn(b -> b.kind() == BarKind.CALIBRATION).isNotEmpty()
                .allSatisfy(b -> assertThat(Duration.between(b.start(), b.end())).isEqualTo(Scenario.CALIBRATION_DURATION));
        // Job runs match what the QPU ran, to the instant.
        for (SchedulerHarness.Run run : h.runsOf("qpu")) {
            assertThat(bars).anySatisfy(b -> {
                assertThat(b.id()).isEqualTo(run.job());
                assertThat(b.start()).isEqualTo(run.start());
                assertThat(b.end()).isEqualTo(run.end());
                assertThat(b.outcome()).isEqualTo("COMPLETED");
            });
        }
        // The session's jobs ran inside its lease, and no other job or calibration did.
        Bar lease = bars.stream().filter(b -> b.kind() == BarKind.SESSION_LEASE).findFirst().orElseThrow();
        assertThat(bars).filteredOn(b -> b.kind() != BarKind.SESSION_LEASE && b.kind() != BarKind.SESSION_JOB
                        && b.kind() != BarKind.BATCH_LEASE)
                .allSatisfy(b -> assertThat(b.end().isAfter(lease.start()) && b.start().isBefore(lease.end())).isFalse());
    }

    @Test
    void memoryIsBoundedPerBackend() {
        SchedulerHarness h = Scenario.harness();
        TimelineRecorder rec = new TimelineRecorder(() -> h.scheduler, h.clock, 3);
        h.listener = (t, ds) -> rec.accept(ds);
        Scenario.run(h);
        List<Bar> bars = rec.bars("qpu");
        assertThat(bars).hasSizeLessThanOrEqualTo(3 + 3); // 3 finished + at most an open job, lease and calibration
        assertThat(bars.get(bars.size() - 1).start()).as("the newest are kept").isAfter(h.t0().plusSeconds(100));
    }

    @Test
    void idleGapsAreTheTimesNoJobNorCalibrationRan() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        List<Bar> bars = List.of(
                new Bar(BarKind.SESSION_LEASE, "s", "s", "s", "lab", t, t.plusSeconds(100), "INACTIVE"),
                new Bar(BarKind.SESSION_JOB, "a", "a", "s", "lab", t.plusSeconds(10), t.plusSeconds(20), "COMPLETED"),
                new Bar(BarKind.SESSION_JOB, "b", "b", "s", "lab", t.plusSeconds(15), t.plusSeconds(30), "COMPLETED"),
                new Bar(BarKind.CALIBRATION, "qpu", "calibration", null, null, t.plusSeconds(50), null, null));
        assertThat(TimelineRecorder.idleGaps(bars, t, t.plusSeconds(60)))
                .extracting(g -> List.of(g.start(), g.end()))
                .containsExactly(List.of(t, t.plusSeconds(10)), List.of(t.plusSeconds(30), t.plusSeconds(50)));
    }
}
