package io.kubeqpu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear reason on the object it concerns, or a rejected event; scheduling goes on for everyone. */
class BadInputTest {
    SchedulerHarness h;

    @BeforeEach
    void setUp() {
        h = new SchedulerHarness();
        h.backend(BackendSpec.of("qpu"));
        h.instance(InstanceSpec.of("a", Plan.PREMIUM));
    }

    @Test
    void unknownBackendFailsTheJob() {
        h.submit(JobSpec.of("j", "a", "nowhere"));
        assertThat(h.job("j").phase()).isEqualTo(JobPhase.FAILED);
        assertThat(h.job("j").reason()).isEqualTo(Reasons.UNKNOWN_BACKEND);
        assertThat(h.job("j").message()).contains("nowhere");
    }

    @Test
    void unknownInstanceAndUnknownWorkloadFailTheJob() {
        h.submit(JobSpec.of("j1", "ghost", "qpu"));
        h.submit(JobSpec.inWorkload("j2", "no-such-session"));
        assertThat(h.job("j1").reason()).isEqualTo(Reasons.UNKNOWN_INSTANCE);
        assertThat(h.job("j2").reason()).isEqualTo(Reasons.UNKNOWN_WORKLOAD);
    }

    @Test
    void nonPositiveTTLsRejectTheWorkload() {
        h.workload(WorkloadSpec.session("zero", "a", "qpu").withTTLs(Duration.ZERO, null));
        h.workload(WorkloadSpec.batch("negative", "a", "qpu").withTTLs(null, Duration.ofSeconds(-1)));
        assertThat(h.workloadView("zero").phase()).isEqualTo(WorkloadPhase.REJECTED);
        assertThat(h.workloadView("zero").reason()).isEqualTo(Reasons.INVALID_SPEC);
        assertThat(h.workloadView("negative").phase()).isEqualTo(WorkloadPhase.REJECTED);
    }

    @Test
    void nonPositiveShotsAndExecutionTimeFailTheJob() {
        h.submit(JobSpec.of("neg", "a", "qpu").withShots(-5));
        h.submit(JobSpec.of("zero-time", "a", "qpu").withMaxExecutionTime(Duration.ZERO));
        assertThat(h.job("neg").reason()).isEqualTo(Reasons.INVALID_SPEC);
        assertThat(h.job("neg").message()).contains("-5");
        assertThat(h.job("zero-time").reason()).isEqualTo(Reasons.INVALID_SPEC);
    }

    @Test
    void duplicateIdsAreRejectedWithoutTouchingTheFirst() {
        h.submit(JobSpec.of("j", "a", "qpu"));
        var ds = h.submit(JobSpec.of("j", "a", "qpu"));
        assertThat(ds).singleElement().isInstanceOfSatisfying(Decision.EventRejected.class,
                r -> assertThat(r.reason()).isEqualTo(Reasons.DUPLICATE));
        h.workload(WorkloadSpec.batch("w", "a", "qpu"));
        assertThat(h.workload(WorkloadSpec.session("w", "a", "qpu"))).singleElement().isInstanceOf(Decision.EventRejected.class);
        h.runFor(Duration.ofSeconds(20));
        assertThat(h.job("j").phase()).isEqualTo(JobPhase.COMPLETED);
        assertThat(h.starts.get("j")).isEqualTo(1);
    }

    @Test
    void badBackendAndInstanceSpecsAreRejected() {
        assertThat(h.apply(new Event.BackendConfigured(BackendSpec.of("bad").withParallelism(0))))
                .singleElement().isInstanceOf(Decision.EventRejected.class);
        assertThat(h.apply(new Event.InstanceConfigured(InstanceSpec.of("bad", Plan.PAYG).withWeight(0))))
                .singleElement().isInstanceOf(Decision.EventRejected.class);
        assertThat(h.apply(new Event.InstanceConfigured(InstanceSpec.of("bad", null))))
                .singleElement().isInstanceOf(Decision.EventRejected.class);
        assertThat(h.scheduler.backend("bad")).isEmpty();
    }

    @Test
    void backendNotAllowedForTheInstance() {
        h.backend(BackendSpec.of("other"));
        h.instance(InstanceSpec.of("narrow", Plan.PAYG).withAllowedBackends(Set.of("other")));
        h.submit(JobSpec.of("j", "narrow", "qpu"));
        assertThat(h.job("j").reason()).isEqualTo(Reasons.BACKEND_NOT_ALLOWED);
    }

    @Test
    void aJobThatDisagreesWithItsWorkloadFails() {
        h.backend(BackendSpec.of("other"));
        h.workload(WorkloadSpec.session("s", "a", "qpu"));
        h.submit(new JobSpec("j", null, "other", "s", 10, null, null));
        assertThat(h.job("j").reason()).isEqualTo(Reasons.BACKEND_MISMATCH);
    }

    @Test
    void lateAndRepeatedReportsNeverCountAJobTwice() {
        h.submit(JobSpec.of("j", "a", "qpu"));
        h.runFor(Duration.ofSeconds(20));
        var ds = h.apply(new Event.JobFinished("j", 10));
        assertThat(ds).singleElement().isInstanceOf(Decision.EventRejected.class);
        assertThat(h.scheduler.instance("a").orElseThrow().usageSeconds()).isEqualTo(10.0);
        assertThat(h.apply(new Event.JobPrepared("nobody"))).singleElement().isInstanceOf(Decision.EventRejected.class);
        assertThat(h.apply(new Event.WorkloadClosed("nobody"))).singleElement().isInstanceOf(Decision.EventRejected.class);
    }

    @Test
    void aNullEventIsRefusedNotThrown() {
        assertThat(h.apply(null)).singleElement().isInstanceOf(Decision.EventRejected.class);
        h.submit(JobSpec.of("j", "a", "qpu"));
        h.runFor(Duration.ofSeconds(20));
        assertThat(h.job("j").phase()).isEqualTo(JobPhase.COMPLETED);
    }

    @Test
    void aFailedPreparationFailsOnlyThatJob() {
        h.submit(JobSpec.of("bad", "a", "qpu"));
        h.submit(JobSpec.of("good", "a", "qpu"));
        h.apply(new Event.JobPreparationFailed("bad", "QasmSyntaxError", "line 3, column 1: unknown gate 'foo'"));
        h.runFor(Duration.ofSeconds(20));
        assertThat(h.job("bad").reason()).isEqualTo("QasmSyntaxError");
        assertThat(h.job("good").phase()).isEqualTo(JobPhase.COMPLETED);
    }
}
