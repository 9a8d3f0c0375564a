package io.kubeqpu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;

/**
 * Thousands of random scenarios — jobs, batches and sessions across instances and backends, closes, deletes,
 * QPU outages, calibrations — each checked against the invariants of {@link InvariantChecker}. A failure
 * names the seed, which replays the scenario exactly.
 */
public class SchedulerPropertiesTest {

    @Property(tries = 2000)
    void invariantsHoldInRandomScenarios(@ForAll long seed) {
        Scenario sc = new Scenario(seed);
        sc.run();
        assertThat(sc.checker.violations).as("seed " + seed).isEmpty();
    }

    @Property(tries = 20)
    void fairShareConvergesToTheWeights(@ForAll @DoubleRange(min = 1, max = 4) double weight) {
        SchedulerHarness h = new SchedulerHarness();
        h.backend(BackendSpec.of("qpu"));
        h.instance(InstanceSpec.of("heavy", Plan.PREMIUM).withWeight(weight));
        h.instance(InstanceSpec.of("light", Plan.PREMIUM).withWeight(1));
        Random rnd = new Random(Double.doubleToLongBits(weight));
        h.durations = id -> Duration.ofMillis(5_000 + rnd.nextInt(10_000));
        for (int k = 0; k < 600; k++) {
            h.submit(JobSpec.of("h" + k, "heavy", "qpu"));
            h.submit(JobSpec.of("l" + k, "light", "qpu"));
        }
        h.runFor(Duration.ofMinutes(60));
        double heavy = qpuSeconds(h, "h"), light = qpuSeconds(h, "l");
        assertThat(heavy / light).isCloseTo(weight, org.assertj.core.data.Percentage.withPercentage(10));
    }

    static double qpuSeconds(SchedulerHarness h, String prefix) {
        return h.runs.stream().filter(r -> r.job().startsWith(prefix))
                .mapToDouble(r -> Duration.between(r.start(), r.end()).toMillis() / 1000.0).sum();
    }

    /** A random scenario of about a hundred steps, on one or two backends. */
    public static final class Scenario {
        final Random rnd;
        public final SchedulerHarness h = new SchedulerHarness();
        final InvariantChecker checker = new InvariantChecker();
        final List<String> backends = new ArrayList<>();
        final List<String> instances = List.of("i0", "i1", "i2", "open");
        final List<String> workloads = new ArrayList<>();
        final List<String> jobIds = new ArrayList<>();
        /** Deleted names, re-used later as GitOps re-applies them: a new object under an old name. */
        final List<String> deletedJobs = new ArrayList<>();
        final List<WorkloadSpec> deletedWorkloads = new ArrayList<>();
        final java.util.Map<String, WorkloadSpec> workloadSpecs = new java.util.HashMap<>();
        int n;

        public Scenario(long seed) {
            rnd = new Random(seed);
            h.prepTime = Duration.ofMillis(rnd.nextInt(3) * 500L);
            // Some scenarios prepare each job in its own time, so that a later job can be prepared before an earlier
            // one: the arrival-order invariant must hold all the same.
            if (rnd.nextBoolean()) h.prepTimes = id -> Duration.ofMillis(new Random(id.hashCode() * 31L ^ seed).nextInt(4) * 500L);
            h.durations = id -> Duration.ofSeconds(1 + new Random(id.hashCode() ^ seed).nextInt(40));
            h.listener = (t, ds) -> checker.observe(h.scheduler, t, ds);
        }

        void apply(Event e) {
            h.apply(e);
        }

        void run() {
            setUp();
            int steps = 40 + rnd.nextInt(80);
            for (int s = 0; s < steps; s++) step();
            checker.checkKeptCounts(h.scheduler);
            // Let everything run out: max TTLs (≤ 10 min here) and execution-time caps end every workload and job.
            for (String w : workloads) if (rnd.nextBoolean()) apply(new Event.WorkloadClosed(w));
            runUntil(Duration.ofHours(4));
            for (String w : workloads) apply(new Event.WorkloadClosed(w));
            runUntil(Duration.ofHours(4));
            checker.checkKeptCounts(h.scheduler);
            checker.checkEnd(h.scheduler);
        }

        /** Backends and instances, then {@code steps} random steps: a state in the middle of things. */
        public void runSteps(int steps) {
            setUp();
            for (int s = 0; s < steps; s++) step();
        }

        void setUp() {
            int nb = 1 + rnd.nextInt(2);
            for (int b = 0; b < nb; b++) {
                BackendSpec spec = BackendSpec.of("b" + b).withParallelism(1 + rnd.nextInt(3)).withLanes(1 + rnd.nextInt(5));
                if (rnd.nextBoolean()) spec = spec.withCalibration(Duration.ofSeconds(30 + rnd.nextInt(300)), Duration.ofSeconds(1 + rnd.nextInt(20)));
                backends.add(spec.name());
                apply(new Event.BackendConfigured(spec));
            }
            for (String i : instances) {
                Plan plan = i.equals("open") ? Plan.OPEN : rnd.nextBoolean() ? Plan.PREMIUM : Plan.PAYG;
                Double limit = rnd.nextInt(4) == 0 ? 50.0 + rnd.nextInt(500) : null;
                apply(new Event.InstanceConfigured(InstanceSpec.of(i, plan).withWeight(0.5 + rnd.nextInt(4)).withUsageLimit(limit)));
            }
        }

        void step() {
            int r = rnd.nextInt(100);
            String backend = backends.get(rnd.nextInt(backends.size()));
            String instance = instances.get(rnd.nextInt(instances.size()));
            if (r < 35) {
                String id = "j" + n++;
                jobIds.add(id);
                apply(new Event.JobSubmitted(JobSpec.of(id, instance, backend)));
            } else if (r < 55 && !workloads.isEmpty()) {
                String w = workloads.get(rnd.nextInt(workloads.size()));
                int k = 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 12);
                for (int x = 0; x < k; x++) {
                    String id = w + "-j" + n++;
                    jobIds.add(id);
                    apply(new Event.JobSubmitted(JobSpec.inWorkload(id, w)));
                }
            } else if (r < 65) {
                String id = "w" + n++;
                workloads.add(id);
                WorkloadSpec spec = rnd.nextBoolean() ? WorkloadSpec.session(id, instance, backend) : WorkloadSpec.batch(id, instance, backend);
                spec = spec.withTTLs(Duration.ofSeconds(30 + rnd.nextInt(600)), Duration.ofSeconds(1 + rnd.nextInt(60)));
                workloadSpecs.put(id, spec);
                apply(new Event.WorkloadCreated(spec));
            } else if (r < 68 && !workloads.isEmpty()) {
                apply(new Event.WorkloadClosed(workloads.get(rnd.nextInt(workloads.size()))));
            } else if (r < 70 && !workloads.isEmpty()) {
                String w = workloads.remove(rnd.nextInt(workloads.size()));
                apply(new Event.WorkloadCancelled(w));
                deletedWorkloads.add(workloadSpecs.get(w));
                checker.forgetWorkload(w);
            } else if (r < 72 && !jobIds.isEmpty()) {
                String id = jobIds.remove(rnd.nextInt(jobIds.size()));
                apply(new Event.JobDeleted(id));
                checker.forget(id);
                deletedJobs.add(id);
            } else if (r < 73 && !deletedJobs.isEmpty()) {
                String id = deletedJobs.remove(rnd.nextInt(deletedJobs.size()));
                jobIds.add(id);
                apply(new Event.JobSubmitted(JobSpec.of(id, instance, backend)));
            } else if (r < 74 && !deletedWorkloads.isEmpty()) {
                WorkloadSpec spec = deletedWorkloads.remove(rnd.nextInt(deletedWorkloads.size()));
                workloads.add(spec.id());
                apply(new Event.WorkloadCreated(spec));
            } else if (r < 76) {
                h.backendDown(backend);
                runUntil(Duration.ofSeconds(rnd.nextInt(30)));
                apply(new Event.BackendAvailability(backend, true, null));
            } else {
                runUntil(Duration.ofSeconds(rnd.nextInt(60)));
            }
        }

        void runUntil(Duration d) {
            h.runFor(d);
        }
    }
}
