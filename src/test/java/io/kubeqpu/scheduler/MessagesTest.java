package io.kubeqpu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Messages speak the user's language: the names and durations they wrote, not the operator's ids or ISO-8601. */
class MessagesTest {

    @ParameterizedTest
    @CsvSource({"PT12S, 12s", "PT1H30M, 1h30m", "PT8H, 8h", "PT0.5S, 500ms", "PT1M0.25S, 1m0.25s", "PT0.00025S, 250us", "PT0S, 0s"})
    void durationsAreWrittenAsKubernetesUsersWriteThem(String iso, String expected) {
        assertThat(Durations.format(Duration.parse(iso))).isEqualTo(expected);
    }

    @Test
    void aSessionReachingItsMaxTTLIsNamedAsItsUserWroteIt() {
        SchedulerHarness h = new SchedulerHarness();
        h.backend(BackendSpec.of("qpu"));
        h.instance(InstanceSpec.of("team-b/research", Plan.PREMIUM));
        h.workload(WorkloadSpec.session("session:team-b/s2", "team-b/research", "qpu").withTTLs(Duration.ofSeconds(12), Duration.ofSeconds(60)));
        h.submit(JobSpec.inWorkload("team-b/j1", "session:team-b/s2"));
        h.submit(JobSpec.inWorkload("team-b/j2", "session:team-b/s2"));
        h.submit(JobSpec.inWorkload("team-b/j3", "session:team-b/s2")); // still queued at 12 s
        h.runFor(Duration.ofSeconds(60));
        assertThat(h.workloadView("session:team-b/s2").message()).isEqualTo("session s2 reached its max TTL of 12s");
        assertThat(h.job("team-b/j3").message()).isEqualTo("session s2 reached its max TTL of 12s");
        h.submit(JobSpec.inWorkload("team-b/j4", "session:team-b/s12"));
        assertThat(h.job("team-b/j4").message()).isEqualTo("no session named s12");
    }
}
