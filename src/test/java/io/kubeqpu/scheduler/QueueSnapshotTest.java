package io.kubeqpu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * A job's position computed alone (the closed form a status writer uses, O(instances)) is the one it has in the whole
 * predicted order (the walk the dashboard and tests use), in any queue the scheduler can build.
 */
class QueueSnapshotTest {

    @Property(tries = 300)
    void oneJobsPositionIsItsPlaceInTheWholeOrder(@ForAll long seed) {
        Random r = new Random(seed);
        SchedulerHarness h = new SchedulerHarness();
        h.durations = id -> Duration.ofSeconds(1 + Math.floorMod(id.hashCode(), 20));
        int backends = 1 + r.nextInt(2);
        for (int b = 0; b < backends; b++) h.backend(BackendSpec.of("qpu" + b).withParallelism(1 + r.nextInt(3)));
        int instances = 1 + r.nextInt(8);
        double[] weights = {0.5, 1, 1, 2, 3};
        for (int i = 0; i < instances; i++)
            h.instance(InstanceSpec.of("i" + i, Plan.PREMIUM).withWeight(weights[r.nextInt(weights.length)]));
        int n = 0;
        for (int round = 0; round < 6; round++) {
            int burst = r.nextInt(25);
            for (int k = 0; k < burst; k++) {
                String instance = "i" + r.nextInt(instances), backend = "qpu" + r.nextInt(backends);
                int mode = r.nextInt(10);
                if (mode == 0) {
                    String w = "w" + n++;
                    h.workload(r.nextBoolean() ? WorkloadSpec.batch(w, instance, backend) : WorkloadSpec.session(w, instance, backend));
                    for (int j = r.nextInt(6); j > 0; j--) h.submit(JobSpec.inWorkload("j" + n++, w));
                } else {
                    h.submit(JobSpec.of("j" + n++, instance, backend));
                }
            }
            h.runFor(Duration.ofMillis(r.nextInt(15_000)));
            for (int b = 0; b < backends; b++) assertAgree(h.scheduler, "qpu" + b);
        }
    }

    @Test
    void equalSharesTakeTurnsInFifoOrder() {
        SchedulerHarness h = new SchedulerHarness();
        h.backend(BackendSpec.of("qpu"));
        h.instance(InstanceSpec.of("a", Plan.PREMIUM));
        h.instance(InstanceSpec.of("b", Plan.PREMIUM));
        h.submit(JobSpec.of("run", "a", "qpu"));
        h.advanceClock(Duration.ofMillis(1));
        for (String id : List.of("a1", "a2", "a3")) h.submit(JobSpec.of(id, "a", "qpu"));
        h.advanceClock(Duration.ofMillis(1));
        for (String id : List.of("b1", "b2")) h.submit(JobSpec.of(id, "b", "qpu"));
        // a1 is armed for the slot (staged, first). Neither instance has been charged yet (run is still running): same
        // share, so the rest alternate, a's first (its head is older).
        assertThat(h.scheduler.queueSnapshot("qpu").positions().keySet()).containsExactly("a1", "a2", "b1", "a3", "b2");
        assertAgree(h.scheduler, "qpu");
    }

    @Test
    void besideABatchOneBatchJobGoesAfterEveryParallelismMinusOneNormalOnes() {
        SchedulerHarness h = new SchedulerHarness();
        h.prepTime = Duration.ofSeconds(1);
        h.backend(BackendSpec.of("qpu").withParallelism(3));
        h.instance(InstanceSpec.of("a", Plan.PREMIUM));
        h.workload(WorkloadSpec.batch("batch", "a", "qpu"));
        for (int k = 1; k <= 8; k++) h.submit(JobSpec.inWorkload("b" + k, "batch"));
        h.runFor(Duration.ofMillis(1));
        for (int k = 1; k <= 12; k++) h.submit(JobSpec.of("n" + k, "a", "qpu"));
        // Staged first (b1..b5 being prepared, a few single jobs armed), then the batch's other jobs each after two
        // normal ones, while both last.
        String tail = h.scheduler.queueSnapshot("qpu").positions().keySet().stream().map(id -> id.substring(0, 1))
                .collect(java.util.stream.Collectors.joining());
        assertThat(tail).startsWith("bbbbbn").contains("nnbnnbnnb").endsWith("n");
        assertAgree(h.scheduler, "qpu");
    }

    /** Deeper than the walked head, with many instances: the flat count's fast cases and its fallback to the lane. */
    @Property(tries = 30)
    void deepPositionsAgreeWithManyInstances(@ForAll long seed) {
        Random r = new Random(seed);
        SchedulerHarness h = new SchedulerHarness();
        h.durations = id -> Duration.ofSeconds(1 + Math.floorMod(id.hashCode(), 20));
        h.backend(BackendSpec.of("qpu").withParallelism(1 + r.nextInt(2)));
        int instances = 20 + r.nextInt(60);
        double[] weights = {0.5, 1, 1, 2, 3, 4};
        for (int i = 0; i < instances; i++)
            h.instance(InstanceSpec.of("i" + i, Plan.PREMIUM).withWeight(weights[r.nextInt(weights.length)]));
        int n = 0;
        for (int round = 0; round < 3; round++) {
            for (int k = 150 + r.nextInt(300); k > 0; k--) {
                // Some instances busier than others: lanes of very different lengths and virtual clocks.
                String instance = "i" + (r.nextInt(4) == 0 ? r.nextInt(3) : r.nextInt(instances));
                h.submit(JobSpec.of("j" + n++, instance, "qpu"));
                if (r.nextInt(50) == 0) h.advanceClock(Duration.ofMillis(r.nextInt(3)));
            }
            h.runFor(Duration.ofSeconds(5 + r.nextInt(60)));
            assertAgree(h.scheduler, "qpu");
        }
    }

    static void assertAgree(Scheduler s, String backend) {
        assertAgree(s, backend, s.queueSnapshot(backend));
        assertAgree(s, backend, s.queueSnapshot(backend).headIndexed(0));
    }

    private static void assertAgree(Scheduler s, String backend, QueueSnapshot q) {
        Map<String, Integer> walked = q.positions();
        List<JobView> queued = s.queuedJobs().stream().filter(v -> backend.equals(v.backend())).toList();
        assertThat(walked.keySet()).containsExactlyInAnyOrderElementsOf(queued.stream().map(JobView::id).toList());
        assertThat(walked.values()).containsExactlyElementsOf(IntStream.rangeClosed(1, walked.size()).boxed().toList());
        for (JobView v : queued) assertThat(q.position(v)).as("position of %s", v.id()).isEqualTo(walked.get(v.id()));
        assertThat(q.head(3)).containsExactlyElementsOf(walked.keySet().stream().limit(3).toList());
    }
}
