package io.kubeqpu.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeqpu.scheduler.InstanceSpec;
import io.kubeqpu.scheduler.JobPhase;
import io.kubeqpu.scheduler.JobSpec;
import io.kubeqpu.scheduler.LeaseMode;
import io.kubeqpu.scheduler.Plan;
import io.kubeqpu.scheduler.SchedulerSnapshot.InstanceRecord;
import io.kubeqpu.scheduler.SchedulerSnapshot.JobRecord;
import io.kubeqpu.scheduler.SchedulerSnapshot.WorkloadRecord;
import io.kubeqpu.scheduler.WorkloadPhase;
import io.kubeqpu.scheduler.WorkloadSpec;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The restore's merge of a status (which its writers may have forged) with the operator's ledger: whatever the status
 * says, it can lower no usage, move no deadline out, grant no lease and undo no end; where it says less, it counts.
 */
class LedgerMergeTest {
    static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    static final Instant Y2036 = Instant.parse("2036-01-01T00:00:00Z");
    static final String UID = "u-1";
    static final InstanceSpec INSTANCE = InstanceSpec.of("ns/research", Plan.PREMIUM);
    static final Instant PERIOD = Instant.ofEpochMilli(Math.floorDiv(NOW.toEpochMilli(),
            InstanceSpec.DEFAULT_USAGE_PERIOD.toMillis()) * InstanceSpec.DEFAULT_USAGE_PERIOD.toMillis());
    static final WorkloadSpec SESSION = WorkloadSpec.session("session:ns/vqe", "ns/research", "qpu");

    static Ledger.InstanceEntry instanceEntry(double usage) {
        return new Ledger.InstanceEntry(UID, PERIOD.toString(), usage, 7.0, NOW.minusSeconds(5).toString());
    }

    @Test
    void instanceUsageIsNeverLoweredByTheStatus() {
        InstanceRecord forged = new InstanceRecord(INSTANCE, 0, PERIOD, 0, NOW);
        InstanceRecord r = Ledger.merge(forged, instanceEntry(11), NOW);
        assertThat(r.periodUsageSeconds()).isEqualTo(11);
        assertThat(r.periodStart()).isEqualTo(PERIOD);
        assertThat(r.recentUsageSeconds()).as("fair share").isEqualTo(7.0);
        // More in the status (the ledger lags it by a flush) counts.
        assertThat(Ledger.merge(new InstanceRecord(INSTANCE, 12, PERIOD, 0, NOW), instanceEntry(11), NOW).periodUsageSeconds()).isEqualTo(12);
    }

    @Test
    void aMadeUpPeriodStartResetsNothingButATruePeriodRollIsTaken() {
        InstanceRecord offGrid = new InstanceRecord(INSTANCE, 0, NOW.minusSeconds(1), 0, NOW);
        assertThat(Ledger.merge(offGrid, instanceEntry(11), NOW).periodUsageSeconds()).isEqualTo(11);
        InstanceRecord future = new InstanceRecord(INSTANCE, 0, PERIOD.plus(InstanceSpec.DEFAULT_USAGE_PERIOD), 0, NOW);
        assertThat(Ledger.merge(future, instanceEntry(11), NOW).periodStart()).isEqualTo(PERIOD);
        // The ledger still had the period before; the status had seen it roll: the new period, with the status's usage.
        Ledger.InstanceEntry old = new Ledger.InstanceEntry(UID, PERIOD.minus(InstanceSpec.DEFAULT_USAGE_PERIOD).toString(), 19, 0, null);
        InstanceRecord rolled = Ledger.merge(new InstanceRecord(INSTANCE, 1, PERIOD, 0, NOW), old, NOW);
        assertThat(rolled.periodStart()).isEqualTo(PERIOD);
        assertThat(rolled.periodUsageSeconds()).isEqualTo(1);
    }

    static WorkloadRecord workload(WorkloadPhase phase, LeaseMode lease, Instant acquired, Instant started, Instant lastDone,
                                   double usage, Instant usageFrom) {
        return new WorkloadRecord(SESSION, phase, null, null, lease, acquired, null, started, lastDone, usage, usageFrom);
    }

    static final Instant STARTED = NOW.minusSeconds(100);
    static final Ledger.WorkloadEntry ACTIVE = new Ledger.WorkloadEntry(UID, "ACTIVE", STARTED.toString(),
            NOW.minusSeconds(10).toString(), "EXCLUSIVE", STARTED.toString(), STARTED.toString(), null, 3.0);

    @Test
    void aSessionsAnchorsMovedTo2036MoveNoDeadline() {
        WorkloadRecord forged = workload(WorkloadPhase.ACTIVE, LeaseMode.EXCLUSIVE, Y2036, Y2036, Y2036, 0, Y2036);
        WorkloadRecord r = Ledger.merge(forged, ACTIVE, true, NOW);
        assertThat(r.startedAt()).isEqualTo(STARTED);
        assertThat(r.lastJobCompletedAt()).isEqualTo(NOW.minusSeconds(10));
        assertThat(r.leaseAcquiredAt()).isEqualTo(STARTED);
        assertThat(r.usageFrom()).isEqualTo(STARTED);
        assertThat(r.usageSeconds()).isEqualTo(3.0);
    }

    @Test
    void aLeaseTheLedgerDoesNotKnowIsNotGrantedAndAnEndIsNotUndone() {
        Ledger.WorkloadEntry inactive = new Ledger.WorkloadEntry(UID, "INACTIVE", STARTED.toString(), null, null, null, null,
                NOW.minusSeconds(50).toString(), 3.0);
        WorkloadRecord claimed = workload(WorkloadPhase.ACTIVE, LeaseMode.EXCLUSIVE, NOW, STARTED, null, 3, NOW);
        WorkloadRecord r = Ledger.merge(claimed, inactive, true, NOW);
        assertThat(r.phase()).isEqualTo(WorkloadPhase.INACTIVE);
        assertThat(r.leaseMode()).isNull();
        Ledger.WorkloadEntry rejected = new Ledger.WorkloadEntry(UID, "REJECTED", null, null, null, null, null, null, 0);
        assertThat(Ledger.merge(workload(WorkloadPhase.PENDING, null, null, null, null, 0, null), rejected, true, NOW).phase())
                .as("an open-plan session Rejected stays Rejected").isEqualTo(WorkloadPhase.REJECTED);
        // A status that ended it (the ledger lags by a flush) wins: it can only end it.
        assertThat(Ledger.merge(workload(WorkloadPhase.EXPIRED, null, null, STARTED, null, 3, null), ACTIVE, true, NOW).phase())
                .isEqualTo(WorkloadPhase.EXPIRED);
    }

    @Test
    void withoutAnEntryInAnExistingLedgerNoLeaseAndNothingInTheFuture() {
        WorkloadRecord forged = workload(WorkloadPhase.ACTIVE, LeaseMode.EXCLUSIVE, Y2036, Y2036, Y2036, 0, Y2036);
        WorkloadRecord r = Ledger.merge(forged, null, true, NOW);
        assertThat(r.leaseMode()).isNull();
        assertThat(r.usageFrom()).isNull();
        assertThat(r.startedAt()).isEqualTo(NOW);
        assertThat(r.lastJobCompletedAt()).isEqualTo(NOW);
        // No ledger at all (the first start of an upgraded operator): the statuses, as before.
        assertThat(Ledger.merge(forged, null, false, NOW)).isEqualTo(forged);
    }

    @Test
    void aRunningJobKeepsItsTrueStartAndItsStopAtTheLimit() {
        JobSpec spec = new JobSpec("ns/j", "ns/research", "qpu", null, 100, Duration.ofHours(3), NOW.minusSeconds(60));
        Instant stop = NOW.plusSeconds(8);
        JobRecord forged = new JobRecord(spec, JobPhase.RUNNING, null, null, Y2036, null, 0, 1, null, 0L);
        JobRecord r = Ledger.merge(forged, new Ledger.JobEntry(UID, STARTED.toString(), stop.toString()), true, NOW);
        assertThat(r.startedAt()).isEqualTo(STARTED);
        assertThat(r.stopAt()).isEqualTo(stop);
        JobRecord later = new JobRecord(spec, JobPhase.RUNNING, null, null, STARTED, null, 0, 1, Y2036, 0L);
        assertThat(Ledger.merge(later, new Ledger.JobEntry(UID, STARTED.toString(), stop.toString()), true, NOW).stopAt()).isEqualTo(stop);
        assertThat(Ledger.merge(forged, null, true, NOW).startedAt()).as("no entry: not in the future").isEqualTo(NOW);
    }

    @Test
    void entriesAreKeyedByIdAndOnlyValidForTheSameUid() {
        assertThat(Ledger.key(Ledger.Kind.WORKLOAD, "session:ns/" + "n".repeat(253))).matches("w-[0-9a-f]{24}");
        assertThat(Ledger.key(Ledger.Kind.WORKLOAD, "session:ns/a")).isNotEqualTo(Ledger.key(Ledger.Kind.WORKLOAD, "batch:ns/a"));
    }
}
