package io.kubeqpu.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeqpu.api.v1alpha1.QuantumBackendStatus;
import io.kubeqpu.api.v1alpha1.QuantumInstanceStatus;
import io.kubeqpu.api.v1alpha1.QuantumJobStatus;
import io.kubeqpu.api.v1alpha1.WorkloadStatus;
import io.kubeqpu.scheduler.BackendView;
import io.kubeqpu.scheduler.InstanceView;
import io.kubeqpu.scheduler.JobView;
import io.kubeqpu.scheduler.Scheduler;
import io.kubeqpu.scheduler.SchedulerConfig;
import io.kubeqpu.scheduler.SchedulerPropertiesTest;
import io.kubeqpu.scheduler.SchedulerSnapshot;
import io.kubeqpu.scheduler.WorkloadView;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.assertj.core.data.Offset;

/**
 * The restore the operator runs, as a property: a scheduler in a random state (random scenarios with name reuse,
 * stopped in the middle of things) → {@link StatusMapper} → status JSON as the API server stores it →
 * {@link SnapshotReader} → {@link Scheduler#restore} gives the same views and the same deadlines. Backend
 * availability is not compared: a restarted operator learns it from the QPUs, not from status.
 */
class StatusRoundTripPropertyTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Offset<Double> WRITTEN = Offset.offset(0.0015); // statuses carry seconds to the millisecond

    @Property(tries = 300)
    void aSchedulerRebuiltFromItsStatusesHasTheSameViewsAndDeadlines(@ForAll long seed, @ForAll @IntRange(min = 1, max = 120) int steps) {
        roundTrip(seed, steps, false);
    }

    /**
     * The same, with every status a tenant could have edited while the operator was down: usage 0, every anchor in
     * 2036, stop-at-limit erased. With the ledger the operator wrote (same state), the restore is the same as above.
     */
    @Property(tries = 200)
    void withTheLedgerForgedStatusesRestoreTheSameViewsAndDeadlines(@ForAll long seed, @ForAll @IntRange(min = 1, max = 120) int steps) {
        roundTrip(seed, steps, true);
    }

    static final String Y2036 = "2036-01-01T00:00:00Z";

    void roundTrip(long seed, int steps, boolean forged) {
        var sc = new SchedulerPropertiesTest.Scenario(seed);
        sc.runSteps(steps);
        Scheduler s = sc.h.scheduler;
        java.time.Instant now = sc.h.clock.instant();
        // The ledger as the status writer keeps it (no API server here: entries only).
        Ledger ledger = new Ledger(null, "kubeqpu-system");
        SchedulerSnapshot specs = s.snapshot(); // the specs only: the statuses come from StatusMapper
        var backends = specs.backends().stream().map(r -> SnapshotReader.backend(r.spec(),
                roundTrip(StatusMapper.backend(s.backend(r.spec().name()).orElseThrow(), true), QuantumBackendStatus.class))).toList();
        var instances = specs.instances().stream().map(r -> {
            InstanceView v = s.instance(r.spec().name()).orElseThrow();
            QuantumInstanceStatus st = roundTrip(StatusMapper.instance(v, 0), QuantumInstanceStatus.class);
            if (!forged) return SnapshotReader.instance(r.spec(), st);
            ledger.known(Ledger.Kind.INSTANCE, v.name(), "uid-" + v.name());
            ledger.instance(v.name(), v);
            st.getUsage().setQuantumSeconds(0.0);
            st.getUsage().setClosedQuantumSeconds(0.0);
            st.getUsage().setRecentQuantumSeconds(0.0);
            return Ledger.merge(SnapshotReader.instance(r.spec(), st), ledger.instance(v.name(), "uid-" + v.name()), now);
        }).toList();
        var workloads = specs.workloads().stream().map(r -> {
            WorkloadView v = s.workload(r.spec().id()).orElseThrow();
            WorkloadStatus st = roundTrip(StatusMapper.workload(v), WorkloadStatus.class);
            if (!forged) return SnapshotReader.workload(r.spec(), st);
            ledger.known(Ledger.Kind.WORKLOAD, v.id(), "uid-" + v.id());
            ledger.workload(v.id(), v);
            // Anchors that were set (one added where there was none is the stricter value: it can only end it sooner).
            if (st.getStartedAt() != null) st.setStartedAt(Y2036);
            if (st.getLastJobCompletedAt() != null) st.setLastJobCompletedAt(Y2036);
            st.setMaxTTLDeadline(Y2036);
            st.getUsage().setQuantumSeconds(0.0);
            st.getUsage().setClosedQuantumSeconds(0.0);
            if (st.getLease() != null) {
                st.getLease().setAcquiredAt(Y2036);
                st.getLease().setUsageFrom(Y2036);
            }
            return Ledger.merge(SnapshotReader.workload(r.spec(), st), ledger.workload(v.id(), "uid-" + v.id()), true, now);
        }).toList();
        List<SchedulerSnapshot.JobRecord> jobs = new ArrayList<>();
        for (var r : specs.jobs()) {
            JobView v = s.job(r.spec().id()).orElseThrow();
            QuantumJobStatus st = roundTrip(StatusMapper.job(v, null, true), QuantumJobStatus.class);
            if (forged && v.phase() == io.kubeqpu.scheduler.JobPhase.RUNNING) {
                ledger.known(Ledger.Kind.JOB, v.id(), "uid-" + v.id());
                ledger.job(v.id(), v);
                st.setStartedAt(Y2036);
                st.setUsageLimitStopAt(null);
            }
            var record = SnapshotReader.job(v.id(), r.spec().instance(), r.spec().workload(), 1, r.spec().maxExecutionTime(), st);
            jobs.add(forged ? Ledger.merge(record, ledger.job(v.id(), "uid-" + v.id()), true, now) : record);
        }
        Scheduler restored = Scheduler.restore(sc.h.clock, SchedulerConfig.defaults(),
                new SchedulerSnapshot(backends, instances, workloads, jobs));

        String at = "seed " + seed + ", " + steps + " steps" + (forged ? ", forged statuses" : "") + ": ";
        assertThat(restored.loadProblems()).as(at + "records left out").isEmpty();
        for (JobView a : s.jobs()) {
            JobView b = restored.job(a.id()).orElseThrow();
            assertThat(List.of(b.phase(), String.valueOf(b.startedAt()), b.attempts(), String.valueOf(b.queuedAt()), b.arrival()))
                    .as(at + "job " + a.id())
                    .containsExactly(a.phase(), String.valueOf(a.startedAt()), a.attempts(), String.valueOf(a.queuedAt()), a.arrival());
            if (a.phase().isTerminal()) {
                assertThat(b.completedAt()).as(at + a.id() + " completedAt").isEqualTo(a.completedAt());
                assertThat(b.reason()).as(at + a.id() + " reason").isEqualTo(a.reason());
                if (a.startedAt() != null) assertThat(b.quantumSeconds()).as(at + a.id() + " usage").isCloseTo(a.quantumSeconds(), WRITTEN);
            } else {
                assertThat(b.nextDeadline()).as(at + a.id() + " deadline").isEqualTo(a.nextDeadline());
            }
        }
        for (WorkloadView a : s.workloads()) {
            WorkloadView b = restored.workload(a.id()).orElseThrow();
            assertThat(List.of(String.valueOf(b.phase()), String.valueOf(b.leaseMode()), String.valueOf(b.leaseAcquiredAt()),
                    String.valueOf(b.startedAt()), String.valueOf(b.lastJobCompletedAt()), String.valueOf(b.maxTTLDeadline()),
                    String.valueOf(b.interactiveDeadline()), String.valueOf(b.leaseReleasedAt()), String.valueOf(b.jobs())))
                    .as(at + "workload " + a.id())
                    .containsExactly(String.valueOf(a.phase()), String.valueOf(a.leaseMode()), String.valueOf(a.leaseAcquiredAt()),
                            String.valueOf(a.startedAt()), String.valueOf(a.lastJobCompletedAt()), String.valueOf(a.maxTTLDeadline()),
                            String.valueOf(a.interactiveDeadline()), String.valueOf(a.leaseReleasedAt()), String.valueOf(a.jobs()));
            assertThat(b.usageSeconds()).as(at + a.id() + " usage").isCloseTo(a.usageSeconds(), WRITTEN);
        }
        for (var r : specs.instances()) {
            InstanceView a = s.instance(r.spec().name()).orElseThrow(), b = restored.instance(r.spec().name()).orElseThrow();
            assertThat(b.usageSeconds()).as(at + "instance " + a.name() + " usage").isCloseTo(a.usageSeconds(), WRITTEN);
            assertThat(b.recentUsageSeconds()).as(at + "instance " + a.name() + " fair-share usage").isCloseTo(a.recentUsageSeconds(), WRITTEN);
            assertThat(List.of(b.queuedJobs(), b.runningJobs())).as(at + "instance " + a.name()).containsExactly(a.queuedJobs(), a.runningJobs());
        }
        for (var r : specs.backends()) {
            BackendView a = s.backend(r.spec().name()).orElseThrow(), b = restored.backend(r.spec().name()).orElseThrow();
            assertThat(List.of(String.valueOf(b.leaseHolder()), b.calibrating(), String.valueOf(b.calibratingUntil()),
                    String.valueOf(b.nextCalibrationAt()), String.valueOf(b.lastCalibrationAt()), b.runningJobs()))
                    .as(at + "backend " + a.name())
                    .containsExactly(String.valueOf(a.leaseHolder()), a.calibrating(), String.valueOf(a.calibratingUntil()),
                            String.valueOf(a.nextCalibrationAt()), String.valueOf(a.lastCalibrationAt()), a.runningJobs());
        }
        // Every deadline was compared above (jobs' max execution and usage-limit stops, workloads' TTLs, calibrations).
        // Scheduler.nextDeadline() also counts pre-processing deadlines, which a restart renews on purpose: a restored
        // scheduler asks the QPUs to prepare its staged jobs again (idempotent) and times that request.
    }

    static <T> T roundTrip(Object status, Class<T> type) {
        try {
            return JSON.readValue(JSON.writeValueAsString(status), type);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
