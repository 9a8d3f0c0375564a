package io.kubeqpu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What status writes and metrics scrapes ask often is answered without a view of every job or workload. */
class CountsWithoutViewsTest {

    @Test
    void queuedJobsAndActiveWorkloadsEqualWhatTheFullViewsSay() {
        SchedulerHarness h = new SchedulerHarness();
        h.backend(BackendSpec.of("qpu"));
        h.instance(InstanceSpec.of("a", Plan.PREMIUM));
        h.instance(InstanceSpec.of("b", Plan.PREMIUM));
        h.workload(WorkloadSpec.session("session:s", "a", "qpu").withTTLs(Duration.ofHours(1), Duration.ofSeconds(60)));
        h.submit(JobSpec.inWorkload("s1", "session:s"));
        for (int k = 1; k <= 4; k++) h.submit(JobSpec.of("b" + k, "b", "qpu"));
        h.runFor(Duration.ofSeconds(15)); // s1 done (10 s); the session holds the backend; b's jobs wait

        var fromViews = h.scheduler.jobs().stream().filter(j -> j.phase() == JobPhase.QUEUED).map(JobView::id).toList();
        assertThat(fromViews).hasSize(4);
        assertThat(h.scheduler.queuedJobs().stream().map(JobView::id).toList()).containsExactlyInAnyOrderElementsOf(fromViews);
        for (String i : new String[] {"a", "b"}) {
            long active = h.scheduler.workloads().stream().filter(w -> i.equals(w.instance()) && w.phase() == WorkloadPhase.ACTIVE).count();
            assertThat(h.scheduler.activeWorkloads(i)).as(i).isEqualTo((int) active);
        }
        assertThat(h.scheduler.activeWorkloads("a")).isEqualTo(1);
    }
}
