package io.kubeqpu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EstimatedStartTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void positionTimesMeanOverParallelism() {
        assertThat(EstimatedStart.at(NOW, 3, 2.0, 1, null)).isEqualTo(NOW.plusSeconds(6));
        assertThat(EstimatedStart.at(NOW, 3, 2.0, 2, null)).isEqualTo(NOW.plusSeconds(3));
        assertThat(EstimatedStart.at(NOW, 1, 0.5, 1, null)).isEqualTo(NOW.plusMillis(500));
    }

    @Test
    void aRunningCalibrationPushesEveryEstimateBack() {
        Instant calibrationEnd = NOW.plusSeconds(120);
        assertThat(EstimatedStart.at(NOW, 2, 1.0, 1, calibrationEnd)).isEqualTo(calibrationEnd.plusSeconds(2));
        // An end already past changes nothing.
        assertThat(EstimatedStart.at(NOW, 2, 1.0, 1, NOW.minusSeconds(5))).isEqualTo(NOW.plusSeconds(2));
    }

    @Test
    void aMeaninglessMeanFallsBackToTheDefault() {
        assertThat(EstimatedStart.at(NOW, 1, 0, 1, null)).isEqualTo(NOW.plusSeconds(1));
        assertThat(EstimatedStart.at(NOW, 1, Double.NaN, 1, null)).isEqualTo(NOW.plusSeconds(1));
        assertThatThrownBy(() -> EstimatedStart.at(NOW, 0, 1, 1, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMeanIsWallClockRunTimeOfTheBackendsCompletedJobs() {
        List<JobView> jobs = List.of(
                done("a", "qpu", 2, JobPhase.COMPLETED),
                done("b", "qpu", 4, JobPhase.COMPLETED),
                done("c", "other", 100, JobPhase.COMPLETED),
                done("d", "qpu", 100, JobPhase.FAILED));
        assertThat(walkedMeanRunSeconds(jobs, "qpu")).isEqualTo(3.0);
        assertThat(walkedMeanRunSeconds(jobs, "idle")).isEqualTo(EstimatedStart.DEFAULT_MEAN_JOB_SECONDS);
    }

    /** The walk over every job the scheduler's running mean replaced: the oracle it is checked against. */
    static double walkedMeanRunSeconds(List<JobView> jobs, String backend) {
        double sum = 0;
        int n = 0;
        for (JobView j : jobs) {
            if (j.phase() != JobPhase.COMPLETED || j.startedAt() == null || j.completedAt() == null || !backend.equals(j.backend())) continue;
            sum += Duration.between(j.startedAt(), j.completedAt()).toNanos() / 1e9;
            n++;
        }
        return n == 0 ? EstimatedStart.DEFAULT_MEAN_JOB_SECONDS : Math.max(sum / n, 1e-3);
    }

    static JobView done(String id, String backend, long seconds, JobPhase phase) {
        return new JobView(id, "lab", backend, null, phase, null, null, NOW, NOW, NOW.plusSeconds(seconds),
                0.1, 1, true, NOW.plus(Duration.ofHours(3)), null, 0);
    }

    @Test
    void theBackendsMeanRunTimeIsKeptAsJobsCompleteAndSurvivesARestore() {
        SchedulerHarness h = new SchedulerHarness();
        h.backend(BackendSpec.of("qpu"));
        h.backend(BackendSpec.of("other"));
        h.instance(InstanceSpec.of("a", Plan.PREMIUM));
        assertThat(h.scheduler.meanRunSeconds("qpu")).isEqualTo(EstimatedStart.DEFAULT_MEAN_JOB_SECONDS);
        h.durations = id -> Duration.ofSeconds(id.startsWith("long") ? 30 : 10);
        for (int k = 1; k <= 3; k++) h.submit(JobSpec.of("short" + k, "a", "qpu"));
        h.submit(JobSpec.of("long1", "a", "qpu"));
        h.submit(JobSpec.of("long2", "a", "other"));
        h.runToEnd();
        // What the status writer used to compute by walking every job, now kept per backend as they complete.
        double walked = walkedMeanRunSeconds(h.scheduler.jobs(), "qpu");
        assertThat(walked).isCloseTo(15.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(h.scheduler.meanRunSeconds("qpu")).isCloseTo(walked, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(h.scheduler.meanRunSeconds("other")).isCloseTo(30.0, org.assertj.core.data.Offset.offset(1e-9));

        h.scheduler = Scheduler.restore(h.clock, SchedulerConfig.defaults(), h.scheduler.snapshot());
        assertThat(h.scheduler.meanRunSeconds("qpu")).isCloseTo(walked, org.assertj.core.data.Offset.offset(1e-9));
    }
}
