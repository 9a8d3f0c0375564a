package io.kubeqpu.scheduler;

import static io.kubeqpu.scheduler.JobPhase.CANCELLED;
import static io.kubeqpu.scheduler.JobPhase.COMPLETED;
import static io.kubeqpu.scheduler.JobPhase.FAILED;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeqpu.scheduler.SchedulerHarness.Run;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One readable scenario per rule of DESIGN §3, on a virtual clock. Jobs take 10 s unless a test says otherwise. */
class ExecutionModesTest {
    SchedulerHarness h;

    @BeforeEach
    void setUp() {
        h = new SchedulerHarness();
        h.backend(BackendSpec.of("qpu"));
        h.instance(InstanceSpec.of("a", Plan.PREMIUM));
        h.instance(InstanceSpec.of("b", Plan.PREMIUM));
        h.instance(InstanceSpec.of("open", Plan.OPEN));
    }

    static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    @Nested
    @DisplayName("§3.1–2 job mode and the normal queue")
    class JobMode {
        @Test
        void singleJobsRunOneAtATimeInFifoOrderWithinAnInstance() {
            for (int k = 1; k <= 3; k++) h.submit(JobSpec.of("a" + k, "a", "qpu"));
            h.runToEnd();
            assertThat(h.startOrder()).containsExactly("a1", "a2", "a3");
            List<Run> runs = h.runsOf("qpu");
            for (int k = 1; k < runs.size(); k++) assertThat(runs.get(k).start()).isEqualTo(runs.get(k - 1).end());
            assertThat(h.job("a3").phase()).isEqualTo(COMPLETED);
            assertThat(h.job("a3").quantumSeconds()).isEqualTo(10.0);
        }

        @Test
        void instanceWithLeastRecentUsageGoesFirst() {
            // a used the QPU a lot; b has not: b's later job jumps ahead of a's older ones.
            h.submit(JobSpec.of("a-old", "a", "qpu"));
            h.runToEnd();
            h.submit(JobSpec.of("a1", "a", "qpu"));
            h.submit(JobSpec.of("a2", "a", "qpu"));
            h.submit(JobSpec.of("b1", "b", "qpu"));
            h.runToEnd();
            assertThat(h.startOrder()).containsExactly("a-old", "a1", "b1", "a2");
        }

        @Test
        void weightsDivideUsage() {
            h.instance(InstanceSpec.of("heavy", Plan.PREMIUM).withWeight(3));
            h.instance(InstanceSpec.of("light", Plan.PREMIUM).withWeight(1));
            for (int k = 0; k < 40; k++) {
                h.submit(JobSpec.of("h" + k, "heavy", "qpu"));
                h.submit(JobSpec.of("l" + k, "light", "qpu"));
            }
            h.runFor(s(400)); // 40 jobs of 10 s
            long heavy = h.runs.stream().filter(r -> r.job().startsWith("h")).count();
            long light = h.runs.stream().filter(r -> r.job().startsWith("l")).count();
            assertThat(heavy + light).isEqualTo(40);
            assertThat(heavy).isBetween(29L, 31L);
        }

        @Test
        void queuePositionsFollowThePredictedOrder() {
            for (int k = 1; k <= 4; k++) h.submit(JobSpec.of("a" + k, "a", "qpu"));
            h.submit(JobSpec.of("b1", "b", "qpu"));
            h.runFor(s(1));
            var positions = h.scheduler.queuePositions("qpu");
            assertThat(positions.get("a2")).isLessThan(positions.get("a3"));
            assertThat(positions.get("b1")).isLessThan(positions.get("a4"));
            assertThat(positions).doesNotContainKey("a1"); // running
        }
    }

    @Nested
    @DisplayName("§3.3 batch")
    class Batch {
        @Test
        void firstJobOfABatchWaitsInTheNormalQueueLikeAnyOther() {
            h.submit(JobSpec.of("x1", "b", "qpu"));
            h.submit(JobSpec.of("x2", "b", "qpu"));
            h.workload(WorkloadSpec.batch("batch", "a", "qpu"));
            h.submit(JobSpec.inWorkload("j1", "batch"));
            h.runToEnd();
            // x1 runs; then fair share prefers a (no usage) over b: the batch goes before x2 — but not before x1.
            assertThat(h.startOrder()).containsExactly("x1", "j1", "x2");
        }

        @Test
        void runsBackToBackWithPreparationAheadAndNoIdleGap() {
            h.prepTime = s(2);
            h.workload(WorkloadSpec.batch("batch", "a", "qpu"));
            for (int k = 0; k < 10; k++) h.submit(JobSpec.inWorkload("j" + k, "batch"));
            h.runToEnd();
            List<Run> runs = h.runsOf("qpu");
            assertThat(runs).hasSize(10);
            for (int k = 1; k < runs.size(); k++) assertThat(runs.get(k).start()).isEqualTo(runs.get(k - 1).end());
            // Preparation of the first jobs ran in parallel lanes: five PrepareJob decisions before the first start.
            int firstStart = indexOf(Decision.StartJob.class);
            assertThat(h.decisions.subList(0, firstStart)).filteredOn(Decision.PrepareJob.class::isInstance).hasSize(5);
        }

        @Test
        void theWholeBatchIsScheduledTogetherOnceSelected() {
            h.workload(WorkloadSpec.batch("batch", "a", "qpu"));
            for (int k = 0; k < 5; k++) h.submit(JobSpec.inWorkload("j" + k, "batch"));
            h.submit(JobSpec.of("single", "b", "qpu"));
            h.runToEnd();
            assertThat(h.startOrder()).containsExactly("j0", "j1", "j2", "j3", "j4", "single");
            assertThat(h.leases).singleElement().extracting(SchedulerHarness.Interval::mode).isEqualTo(LeaseMode.SHARED);
        }

        @Test
        void otherInstancesUseSpareSlots() {
            h.backend(BackendSpec.of("wide").withParallelism(2));
            h.workload(WorkloadSpec.batch("batch", "a", "wide"));
            h.submit(JobSpec.inWorkload("j0", "batch"));
            h.submit(JobSpec.of("other", "b", "wide"));
            h.runFor(s(1));
            assertThat(h.job("j0").phase()).isEqualTo(JobPhase.RUNNING);
            assertThat(h.job("other").phase()).isEqualTo(JobPhase.RUNNING);
        }

        @Test
        void spareSlotsServeTheNormalQueueFirstWhileTheBatchKeepsOneSlot() {
            h.backend(BackendSpec.of("wide").withParallelism(2));
            h.workload(WorkloadSpec.batch("batch", "a", "wide"));
            for (int k = 0; k < 6; k++) h.submit(JobSpec.inWorkload("j" + k, "batch"));
            h.runFor(s(1));
            // Nobody else waits: the batch uses both slots.
            assertThat(h.scheduler.backend("wide").orElseThrow().runningJobs()).isEqualTo(2);
            h.submit(JobSpec.of("x1", "b", "wide"));
            h.submit(JobSpec.of("x2", "b", "wide"));
            h.runToEnd();
            // x1 takes the first slot the batch frees (10 s), not the end of the batch; x2 the next one (20 s).
            assertThat(h.job("x1").startedAt()).isEqualTo(h.at(s(10)));
            assertThat(h.job("x2").startedAt()).isEqualTo(h.at(s(20)));
            // The batch kept one slot throughout: a job of it ran at every instant until it had none left.
            List<Run> batch = h.runsOf("wide").stream().filter(r -> "batch".equals(r.workload())).toList();
            assertThat(batch).hasSize(6);
            for (int t = 0; t < 40; t++) {
                Instant at = h.at(s(t));
                assertThat(batch).as("a batch job runs at %ss", t).anyMatch(r -> !r.start().isAfter(at) && r.end().isAfter(at));
            }
            // While x1 or x2 waited (1..20 s), the batch started no job beside one of its own still running.
            for (Run r : batch)
                if (r.start().isAfter(h.at(s(0))) && r.start().isBefore(h.at(s(20))))
                    assertThat(batch).as("%s started beside another batch job", r.job())
                            .noneMatch(o -> o != r && !o.start().isAfter(r.start()) && o.end().isAfter(r.start()));
            // With nobody waiting again (x2 started at 20 s), the batch takes both slots: done at 40 s, not 50 s.
            assertThat(h.workloadView("batch").jobs().completed()).isEqualTo(6);
            assertThat(batch.stream().map(Run::end).max(Instant::compareTo)).contains(h.at(s(40)));
        }

        @Test
        void aBatchIsNeverStarvedByASteadyStreamOfSingleJobs() {
            h.backend(BackendSpec.of("wide").withParallelism(2));
            h.workload(WorkloadSpec.batch("batch", "a", "wide"));
            for (int k = 0; k < 4; k++) h.submit(JobSpec.inWorkload("j" + k, "batch"));
            for (int k = 0; k < 20; k++) h.submit(JobSpec.of("x" + k, "b", "wide"));
            h.runToEnd();
            // Selected first (a has no usage), it keeps one slot: its jobs run back to back, one at a time.
            List<Run> batch = h.runsOf("wide").stream().filter(r -> "batch".equals(r.workload())).toList();
            assertThat(batch).hasSize(4);
            assertThat(batch.get(0).start()).isEqualTo(h.at(s(0)));
            for (int k = 1; k < batch.size(); k++) assertThat(batch.get(k).start()).isEqualTo(batch.get(k - 1).end());
            // ... and the single jobs had the other slot all along.
            assertThat(h.job("x0").startedAt()).isEqualTo(h.at(s(0)));
            assertThat(h.job("x3").startedAt()).isEqualTo(h.at(s(30)));
        }

        @Test
        void aBatchJobWaitingForItsTurnKeepsTheSlotFromLaterSingleJobs() {
            // The batch's jobs take 2 s to prepare; a single job of b is prepared at once. The batch was selected
            // first, so the free slot waits for it instead of going to the single job behind it.
            h.backend(BackendSpec.of("wide").withParallelism(2));
            h.prepTimes = id -> id.startsWith("j") ? s(2) : Duration.ZERO;
            h.submit(JobSpec.of("x0", "b", "wide")); // takes a slot at 0 s
            h.workload(WorkloadSpec.batch("batch", "a", "wide"));
            for (int k = 0; k < 2; k++) h.submit(JobSpec.inWorkload("j" + k, "batch"));
            h.submit(JobSpec.of("x1", "b", "wide"));
            h.runToEnd();
            assertThat(h.job("j0").startedAt()).isEqualTo(h.at(s(2)));
            assertThat(h.job("x1").startedAt()).isEqualTo(h.at(s(10)));
        }

        @Test
        void aSingleJobBesideABatchIsPreparedBeforeTheBatchsLookAhead() {
            // Two lanes, 2 s preparations. A batch and a single job wait behind a session; when it lets go (11 s), the
            // batch's next job and the single job are prepared first, so both slots run from 13 s (preparing the
            // batch's look-ahead first left the second slot idle until 15 s).
            h.backend(BackendSpec.of("narrow").withParallelism(2).withLanes(2));
            h.prepTime = s(2);
            h.workload(WorkloadSpec.session("s", "b", "narrow").withTTLs(s(600), s(1)));
            h.submit(JobSpec.inWorkload("sj", "s")); // prepared 0..2 s, runs 2..12 s; the session lets go at 13 s
            h.runFor(s(3));
            h.workload(WorkloadSpec.batch("batch", "a", "narrow"));
            for (int k = 0; k < 4; k++) h.submit(JobSpec.inWorkload("j" + k, "batch"));
            h.submit(JobSpec.of("x", "b", "narrow"));
            h.runToEnd();
            assertThat(h.job("j0").startedAt()).isEqualTo(h.at(s(15)));
            assertThat(h.job("x").startedAt()).isEqualTo(h.at(s(15)));
        }

        @Test
        void calibrationMayRunBetweenBatchJobs() {
            h.backend(BackendSpec.of("cal").withCalibration(s(25), s(5)));
            h.workload(WorkloadSpec.batch("batch", "a", "cal"));
            for (int k = 0; k < 4; k++) h.submit(JobSpec.inWorkload("j" + k, "batch"));
            h.runFor(s(60));
            assertThat(h.calibrations).isNotEmpty();
            var cal = h.calibrations.get(0);
            assertThat(cal.start()).isEqualTo(h.at(s(30))); // due at 25 s, waits for j2 to finish at 30 s
            assertThat(h.job("j3").startedAt()).isEqualTo(h.at(s(35)));
            assertThat(h.workloadView("batch").phase()).isEqualTo(WorkloadPhase.ACTIVE);
        }

        @Test
        void aHeldBatchWaitsUntilAllItsJobsAreInThenRunsThemBackToBack() {
            h.workload(WorkloadSpec.batch("batch", "a", "qpu"));
            h.apply(new Event.WorkloadHeld("batch", true));
            h.submit(JobSpec.inWorkload("j0", "batch"));
            h.submit(JobSpec.of("other", "b", "qpu"));
            h.runFor(s(5));
            assertThat(h.job("j0").phase()).isEqualTo(JobPhase.QUEUED); // held: the single job goes first
            assertThat(h.job("other").phase()).isEqualTo(JobPhase.RUNNING);
            h.submit(JobSpec.inWorkload("j1", "batch"));
            h.submit(JobSpec.inWorkload("j2", "batch"));
            h.apply(new Event.WorkloadHeld("batch", false));
            h.runToEnd();
            List<Run> runs = h.runsOf("qpu");
            assertThat(runs).extracting(Run::job).containsExactly("other", "j0", "j1", "j2");
            for (int k = 2; k < runs.size(); k++) assertThat(runs.get(k).start()).isEqualTo(runs.get(k - 1).end());
        }

        @Test
        void usageIsTheSumOfItsJobsQpuTime() {
            h.workload(WorkloadSpec.batch("batch", "a", "qpu"));
            for (int k = 0; k < 3; k++) h.submit(JobSpec.inWorkload("j" + k, "batch"));
            h.runFor(s(31));
            assertThat(h.workloadView("batch").usageSeconds()).isEqualTo(30.0);
            assertThat(h.scheduler.instance("a").orElseThrow().usageSeconds()).isEqualTo(30.0);
        }
    }

    @Nested
    @DisplayName("§3.4 session")
    class Session {
        @Test
        void exclusiveLeaseWaitsForRunningJobsToDrainThenNothingElseRuns() {
            h.durations = id -> id.equals("long") ? s(100) : s(10);
            h.submit(JobSpec.of("long", "b", "qpu"));
            h.workload(WorkloadSpec.session("sess", "a", "qpu"));
            h.submit(JobSpec.inWorkload("s1", "sess"));
            h.submit(JobSpec.of("other", "b", "qpu"));
            h.runFor(s(5));
            // Selected while `long` runs: the lease is taken, the session waits for the drain.
            assertThat(h.workloadView("sess").leaseMode()).isEqualTo(LeaseMode.EXCLUSIVE);
            h.runFor(s(100));
            assertThat(h.job("s1").startedAt()).isEqualTo(h.at(s(100)));
            h.submit(JobSpec.inWorkload("s2", "sess"));
            h.runFor(s(30));
            assertThat(h.job("s2").phase()).isEqualTo(COMPLETED);
            assertThat(h.job("other").phase()).isEqualTo(JobPhase.QUEUED);
        }

        @Test
        void jobsRunAsTheyArriveInParallelUpToParallelism() {
            h.backend(BackendSpec.of("wide").withParallelism(2));
            h.workload(WorkloadSpec.session("sess", "a", "wide"));
            h.submit(JobSpec.inWorkload("s1", "sess"));
            h.submit(JobSpec.inWorkload("s2", "sess"));
            h.submit(JobSpec.inWorkload("s3", "sess"));
            h.runFor(s(1));
            assertThat(List.of(h.job("s1").phase(), h.job("s2").phase(), h.job("s3").phase()))
                    .containsExactly(JobPhase.RUNNING, JobPhase.RUNNING, JobPhase.QUEUED);
            h.runFor(s(15));
            h.submit(JobSpec.inWorkload("s4", "sess")); // arrives later, runs at once
            h.runFor(s(1));
            assertThat(h.job("s4").phase()).isEqualTo(JobPhase.RUNNING);
        }

        @Test
        void noCalibrationInsideAnActiveSession() {
            h.backend(BackendSpec.of("cal").withCalibration(s(15), s(5)));
            h.workload(WorkloadSpec.session("sess", "a", "cal").withTTLs(null, s(20)));
            h.submit(JobSpec.inWorkload("s1", "sess"));
            h.runFor(s(12));
            h.submit(JobSpec.inWorkload("s2", "sess"));
            h.runToEnd();
            // Calibration was due at 15 s; the session held the lease until s2's end (22 s) + 20 s of interactive TTL.
            var lease = h.leases.get(0);
            assertThat(h.calibrations).isNotEmpty();
            assertThat(h.calibrations.get(0).start()).isEqualTo(lease.end());
            assertThat(lease.end()).isEqualTo(h.at(s(42)));
        }

        @Test
        void usageIsWallClockWhileActive() {
            h.workload(WorkloadSpec.session("sess", "a", "qpu").withTTLs(null, s(30)));
            h.submit(JobSpec.inWorkload("s1", "sess"));
            h.runToEnd();
            // Active from 0 s to 10 s + 30 s interactive TTL.
            assertThat(h.workloadView("sess").usageSeconds()).isEqualTo(40.0);
            assertThat(h.scheduler.instance("a").orElseThrow().usageSeconds()).isEqualTo(40.0);
        }
    }

    @Nested
    @DisplayName("§3.5 max TTL")
    class MaxTTL {
        @Test
        void startsAtTheFirstJobStartAndNeverPauses() {
            h.durations = id -> id.equals("long") ? s(50) : s(10);
            h.submit(JobSpec.of("long", "b", "qpu"));
            h.workload(WorkloadSpec.session("sess", "a", "qpu").withTTLs(s(100), s(5)));
            h.submit(JobSpec.inWorkload("s1", "sess"));
            h.runFor(s(70)); // s1 runs 50–60, session idles out at 65
            assertThat(h.workloadView("sess").startedAt()).isEqualTo(h.at(s(50)));
            assertThat(h.workloadView("sess").phase()).isEqualTo(WorkloadPhase.INACTIVE);
            assertThat(h.workloadView("sess").maxTTLDeadline()).isEqualTo(h.at(s(150)));
            h.runFor(s(90));
            assertThat(h.workloadView("sess").phase()).isEqualTo(WorkloadPhase.EXPIRED);
        }

        @Test
        void atExpiryQueuedJobsFailAndTheRunningOneCompletes() {
            h.workload(WorkloadSpec.batch("batch", "a", "qpu").withTTLs(s(25), null));
            for (int k = 0; k < 5; k++) h.submit(JobSpec.inWorkload("j" + k, "batch"));
            h.runToEnd();
            assertThat(h.workloadView("batch").phase()).isEqualTo(WorkloadPhase.EXPIRED);
            assertThat(h.job("j2").phase()).isEqualTo(COMPLETED); // ran 20–30, past the 25 s deadline
            assertThat(h.job("j3").phase()).isEqualTo(FAILED);
            assertThat(h.job("j3").reason()).isEqualTo(Reasons.MAX_TTL_EXPIRED);
            assertThat(h.leases.get(0).end()).isEqualTo(h.at(s(25)));
        }

        @Test
        void aRunningJobIsCancelledAtTheInstanceUsageLimit() {
            h.instance(InstanceSpec.of("capped", Plan.PAYG).withUsageLimit(27.0));
            h.workload(WorkloadSpec.batch("batch", "capped", "qpu").withTTLs(s(25), null));
            for (int k = 0; k < 4; k++) h.submit(JobSpec.inWorkload("j" + k, "batch"));
            h.runToEnd();
            // 20 s charged when j2 starts at 20; at 25 it has run 5 s: 2 s left, so it stops at 27.
            assertThat(h.job("j2").phase()).isEqualTo(CANCELLED);
            assertThat(h.job("j2").reason()).isEqualTo(Reasons.USAGE_LIMIT_EXCEEDED);
            assertThat(h.job("j2").completedAt()).isEqualTo(h.at(s(27)));
        }
    }

    @Nested
    @DisplayName("§3.6 interactive TTL")
    class InteractiveTTL {
        @Test
        void deactivatesReleasesTheLeaseAndNormalSelectionResumes() {
            h.workload(WorkloadSpec.session("sess", "a", "qpu").withTTLs(null, s(30)));
            h.submit(JobSpec.inWorkload("s1", "sess"));
            h.runFor(s(15));
            h.submit(JobSpec.of("other", "b", "qpu"));
            h.runFor(s(20));
            assertThat(h.job("other").phase()).isEqualTo(JobPhase.QUEUED); // session still holds the QPU at 35 s
            h.runFor(s(10));
            assertThat(h.workloadView("sess").phase()).isEqualTo(WorkloadPhase.INACTIVE);
            assertThat(h.workloadView("sess").reason()).isEqualTo(Reasons.INTERACTIVE_TTL_EXPIRED);
            assertThat(h.job("other").startedAt()).isEqualTo(h.at(s(40)));
        }

        @Test
        void aLaterJobReentersTheNormalQueueAndReactivates() {
            h.workload(WorkloadSpec.session("sess", "a", "qpu").withTTLs(null, s(5)));
            h.submit(JobSpec.inWorkload("s1", "sess"));
            h.runFor(s(20));
            h.submit(JobSpec.of("other", "b", "qpu"));
            h.submit(JobSpec.inWorkload("s2", "sess"));
            h.runFor(s(60));
            // other was queued first and b has no usage: it goes before the session's new job.
            assertThat(h.startOrder()).containsExactly("s1", "other", "s2");
            assertThat(h.leases).hasSize(2);
            assertThat(h.workloadView("sess").phase()).isEqualTo(WorkloadPhase.INACTIVE);
        }

        @Test
        void reactivationAfterMaxTTLIsRefused() {
            h.workload(WorkloadSpec.session("sess", "a", "qpu").withTTLs(s(60), s(5)));
            h.submit(JobSpec.inWorkload("s1", "sess"));
            h.runFor(s(100));
            h.submit(JobSpec.inWorkload("s2", "sess"));
            assertThat(h.job("s2").phase()).isEqualTo(FAILED);
            assertThat(h.job("s2").reason()).isEqualTo(Reasons.MAX_TTL_EXPIRED);
        }
    }

    @Nested
    @DisplayName("§3.7 plans and limits")
    class PlansAndLimits {
        @Test
        void openPlanCannotRunSessions() {
            h.workload(WorkloadSpec.session("sess", "open", "qpu"));
            assertThat(h.workloadView("sess").phase()).isEqualTo(WorkloadPhase.REJECTED);
            assertThat(h.workloadView("sess").reason()).isEqualTo(Reasons.PLAN_NOT_ALLOWED);
            h.submit(JobSpec.inWorkload("j", "sess"));
            assertThat(h.job("j").reason()).isEqualTo(Reasons.WORKLOAD_REJECTED);
            h.workload(WorkloadSpec.batch("batch", "open", "qpu"));
            assertThat(h.workloadView("batch").phase()).isEqualTo(WorkloadPhase.PENDING);
        }

        @Test
        void anInstanceOverItsLimitGetsNoNewDispatches() {
            h.instance(InstanceSpec.of("capped", Plan.PAYG).withUsageLimit(20.0));
            for (int k = 0; k < 4; k++) h.submit(JobSpec.of("c" + k, "capped", "qpu"));
            h.runToEnd();
            assertThat(h.job("c1").phase()).isEqualTo(COMPLETED);
            assertThat(h.job("c2").phase()).isEqualTo(FAILED);
            assertThat(h.job("c2").reason()).isEqualTo(Reasons.USAGE_LIMIT_EXCEEDED);
            assertThat(h.job("c3").reason()).isEqualTo(Reasons.USAGE_LIMIT_EXCEEDED);
            h.submit(JobSpec.of("late", "capped", "qpu"));
            assertThat(h.job("late").reason()).isEqualTo(Reasons.USAGE_LIMIT_EXCEEDED);
        }

        @Test
        void aSessionsLeaseIsChargedOnceWhenItIsReleased() {
            // Limit 20 s; the session holds the lease ~11 s (one 10 s job, then 1 s interactive TTL). Charging it while
            // the lease still counted as active made the instance look 22 s used and failed the waiting single job.
            h.instance(InstanceSpec.of("capped", Plan.PAYG).withUsageLimit(20.0));
            h.workload(WorkloadSpec.session("s", "capped", "qpu").withTTLs(s(600), s(1)));
            h.submit(JobSpec.inWorkload("s1", "s"));
            h.runFor(s(1));
            h.submit(JobSpec.of("single", "capped", "qpu"));
            h.runFor(s(30));
            assertThat(h.workloadView("s").phase()).isEqualTo(WorkloadPhase.INACTIVE);
            assertThat(h.job("single").reason()).isNull();
            assertThat(h.job("single").phase()).isEqualTo(COMPLETED);
            assertThat(h.scheduler.instance("capped").orElseThrow().usageSeconds()).isCloseTo(21.0, org.assertj.core.data.Offset.offset(0.01));
        }

        @Test
        void aSessionsJobsStartInArrivalOrderEvenWhenALaterOneIsPreparedFirst() {
            h.prepTimes = id -> id.equals("j1") ? s(5) : s(1); // j2 is prepared first
            h.workload(WorkloadSpec.session("s", "a", "qpu").withTTLs(s(600), s(60)));
            h.submit(JobSpec.inWorkload("j1", "s"));
            h.submit(JobSpec.inWorkload("j2", "s"));
            h.runFor(s(60));
            assertThat(h.runs.stream().map(SchedulerHarness.Run::job).toList()).containsSubsequence("j1", "j2");
            assertThat(h.job("j1").startedAt()).isBefore(h.job("j2").startedAt());
        }

        @Test
        void aSessionIsBilledFromWhenTheBackendIsItsOwnNotWhileOthersDrain() {
            h.submit(JobSpec.of("other", "b", "qpu")); // runs 0..10 s
            h.runFor(s(1));
            h.workload(WorkloadSpec.session("s", "a", "qpu").withTTLs(s(600), s(1)));
            h.submit(JobSpec.inWorkload("s1", "s")); // the lease is taken at 1 s; the backend is the session's at 10 s
            h.runFor(s(40));
            assertThat(h.job("s1").phase()).isEqualTo(COMPLETED);
            // 10..20 s its job, then 1 s interactive TTL: 11 s, not the 20 s since the lease was taken.
            assertThat(h.workloadView("s").usageSeconds()).isCloseTo(11.0, org.assertj.core.data.Offset.offset(0.01));
            assertThat(h.scheduler.instance("a").orElseThrow().usageSeconds()).isCloseTo(11.0, org.assertj.core.data.Offset.offset(0.01));
        }

        @Test
        void atMaxTTLQueuedJobsFailMaxTTLExpiredEvenWhenTheLeaseTakesTheInstanceToItsLimit() {
            h.instance(InstanceSpec.of("capped", Plan.PAYG).withUsageLimit(15.0));
            h.workload(WorkloadSpec.session("s", "capped", "qpu").withTTLs(s(15), s(600)));
            for (int k = 0; k < 3; k++) h.submit(JobSpec.inWorkload("s" + k, "s")); // 10 s each; max TTL at 15 s
            h.runFor(s(60));
            assertThat(h.workloadView("s").phase()).isEqualTo(WorkloadPhase.EXPIRED);
            assertThat(h.job("s2").phase()).isEqualTo(FAILED);
            assertThat(h.job("s2").reason()).isEqualTo(Reasons.MAX_TTL_EXPIRED);
        }

        @Test
        void theLimitResetsWithTheNextPeriod() {
            h.instance(new InstanceSpec("daily", Plan.PAYG, 10.0, Duration.ofDays(1), 1, java.util.Set.of()));
            h.submit(JobSpec.of("d1", "daily", "qpu"));
            h.runFor(s(20));
            h.submit(JobSpec.of("d2", "daily", "qpu"));
            assertThat(h.job("d2").reason()).isEqualTo(Reasons.USAGE_LIMIT_EXCEEDED);
            h.runUntil(h.at(Duration.ofDays(3)));
            h.submit(JobSpec.of("d3", "daily", "qpu"));
            h.runFor(s(20));
            assertThat(h.job("d3").phase()).isEqualTo(COMPLETED);
        }

        @Test
        void aJobRunningPastItsMaxExecutionTimeIsCancelled() {
            h.durations = id -> Duration.ofHours(5);
            h.submit(JobSpec.of("default", "a", "qpu"));
            h.submit(JobSpec.of("short", "a", "qpu").withMaxExecutionTime(s(60)));
            h.submit(JobSpec.of("greedy", "a", "qpu").withMaxExecutionTime(Duration.ofHours(10)));
            h.runToEnd();
            assertThat(h.job("default").reason()).isEqualTo(Reasons.MAX_EXECUTION_TIME_EXCEEDED);
            assertThat(h.job("default").completedAt()).isEqualTo(h.at(Duration.ofHours(3)));
            assertThat(h.job("short").completedAt()).isEqualTo(h.at(Duration.ofHours(3).plusSeconds(60)));
            // Capped at 3 h.
            assertThat(Duration.between(h.job("greedy").startedAt(), h.job("greedy").completedAt())).isEqualTo(Duration.ofHours(3));
            assertThat(h.job("greedy").phase()).isEqualTo(CANCELLED);
        }
    }

    @Nested
    @DisplayName("§3.9 calibration")
    class Calibration {
        @Test
        void runsEveryIntervalBetweenJobs() {
            h.backend(BackendSpec.of("cal").withCalibration(s(100), s(10)));
            h.runFor(s(95));
            h.submit(JobSpec.of("j", "a", "cal"));
            h.runFor(s(200));
            assertThat(h.calibrations).extracting(SchedulerHarness.Interval::start)
                    .containsExactly(h.at(s(105)), h.at(s(215)));
            assertThat(h.job("j").completedAt()).isEqualTo(h.at(s(105)));
        }
    }

    @Nested
    @DisplayName("§3.10 closing and cancelling")
    class ClosingAndCancelling {
        @Test
        void aClosedWorkloadRefusesNewJobsRunsTheRestAndClosesAtOnce() {
            h.workload(WorkloadSpec.session("sess", "a", "qpu"));
            h.submit(JobSpec.inWorkload("s1", "sess"));
            h.submit(JobSpec.inWorkload("s2", "sess"));
            h.apply(new Event.WorkloadClosed("sess"));
            h.submit(JobSpec.inWorkload("s3", "sess"));
            assertThat(h.job("s3").reason()).isEqualTo(Reasons.WORKLOAD_CLOSED);
            h.runFor(s(25));
            assertThat(h.job("s2").phase()).isEqualTo(COMPLETED);
            assertThat(h.workloadView("sess").phase()).isEqualTo(WorkloadPhase.CLOSED);
            assertThat(h.leases.get(0).end()).isEqualTo(h.at(s(20))); // no interactive TTL wait
        }

        @Test
        void deletingAWorkloadCancelsQueuedAndStopsRunningJobs() {
            h.workload(WorkloadSpec.batch("batch", "a", "qpu"));
            for (int k = 0; k < 3; k++) h.submit(JobSpec.inWorkload("j" + k, "batch"));
            h.runFor(s(5));
            var ds = h.apply(new Event.WorkloadCancelled("batch"));
            assertThat(ds).contains(new Decision.StopJob("j0", "qpu", Reasons.WORKLOAD_CANCELLED));
            assertThat(h.job("j0").phase()).isEqualTo(CANCELLED);
            assertThat(h.job("j2").phase()).isEqualTo(CANCELLED);
            assertThat(ds).contains(new Decision.WorkloadPhaseChanged("batch", WorkloadPhase.CANCELLED, Reasons.WORKLOAD_CANCELLED,
                    "batch batch was deleted"));
            // Forgotten: a batch re-created under its name is a new one.
            assertThat(h.scheduler.workload("batch")).isEmpty();
            assertThat(h.scheduler.backend("qpu").orElseThrow().leaseHolder()).isNull();
            h.workload(WorkloadSpec.batch("batch", "a", "qpu"));
            assertThat(h.workloadView("batch").phase()).isNotEqualTo(WorkloadPhase.CANCELLED);
        }
    }

    @Nested
    @DisplayName("backend up and down")
    class BackendAvailability {
        @Test
        void aJobLostWithItsQpuIsRetriedOnceThenFailed() {
            h.submit(JobSpec.of("j", "a", "qpu"));
            h.runFor(s(5));
            h.backendDown("qpu");
            assertThat(h.job("j").phase()).isEqualTo(JobPhase.QUEUED);
            h.apply(new Event.BackendAvailability("qpu", true, null));
            h.runFor(s(5));
            assertThat(h.job("j").attempts()).isEqualTo(2);
            h.backendDown("qpu");
            assertThat(h.job("j").phase()).isEqualTo(FAILED);
            assertThat(h.job("j").reason()).isEqualTo(Reasons.BACKEND_UNAVAILABLE);
        }

        @Test
        void aSessionKeepsItsDeadlinesWhileItsBackendIsDown() {
            h.workload(WorkloadSpec.session("sess", "a", "qpu").withTTLs(s(100), s(60)));
            h.submit(JobSpec.inWorkload("s1", "sess"));
            h.runFor(s(5));
            Instant deadline = h.workloadView("sess").maxTTLDeadline();
            h.backendDown("qpu");
            h.runFor(s(50));
            assertThat(h.workloadView("sess").maxTTLDeadline()).isEqualTo(deadline);
            assertThat(h.workloadView("sess").leaseMode()).isEqualTo(LeaseMode.EXCLUSIVE);
        }
    }

    int indexOf(Class<?> type) {
        for (int i = 0; i < h.decisions.size(); i++) if (type.isInstance(h.decisions.get(i))) return i;
        return -1;
    }
}
