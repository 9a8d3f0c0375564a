package io.kubeqpu.simulator.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kubeqpu.simulator.BackendProfile;
import io.kubeqpu.simulator.NoiseModel;
import io.kubeqpu.simulator.PrimitiveRequest;
import io.kubeqpu.simulator.Pub;
import io.kubeqpu.simulator.TimingModel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InProcessQpuDeviceTest {
    static final String BELL = """
            OPENQASM 3.0; include "stdgates.inc";
            qubit[2] q; bit[2] c;
            h q[0]; cx q[0], q[1];
            c = measure q;
            """;
    /** 0.2 s of modelled QPU time per job (overhead only), so holds are predictable. */
    static final BackendProfile PROFILE = new BackendProfile("dev", 5, null, false,
            new TimingModel(0.2, 0, 0, 0, 0, 0, 0), NoiseModel.none());

    private InProcessQpuDevice device;
    private final List<DeviceEvent> events = new CopyOnWriteArrayList<>();

    private InProcessQpuDevice device(int parallelism, double timeScale) {
        device = new InProcessQpuDevice(PROFILE, DeviceOptions.defaults().withParallelism(parallelism)
                .withTimeScale(timeScale));
        device.addListener(events::add);
        return device;
    }

    @AfterEach
    void close() {
        device.close();
    }

    static PrimitiveRequest bell(long seed) {
        return PrimitiveRequest.sampler(List.of(Pub.sampler(BELL)), 100, seed);
    }

    private void awaitPrepared(String... ids) {
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(5)).until(() -> device.status(id).state() == QpuJobState.PREPARED);
        }
    }

    @Test
    void prepareStartAndCompleteNotifyTheListenerInOrder() {
        device(1, 0.01);
        device.prepare("a", bell(1));
        device.start("a");
        await().atMost(Duration.ofSeconds(5)).until(() -> device.status("a").state() == QpuJobState.COMPLETED);
        JobStatus done = device.status("a");
        assertThat(done.resultJson()).contains("\"counts\"");
        assertThat(done.quantumSeconds()).isEqualTo(0.2);
        assertThat(Duration.between(done.startedAt(), done.finishedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(2));
        await().atMost(Duration.ofSeconds(1)).until(() -> events.size() == 3);
        assertThat(events).extracting(DeviceEvent::type).containsExactly(DeviceEvent.Type.PREPARED,
                DeviceEvent.Type.STARTED, DeviceEvent.Type.FINISHED);
        assertThat(events).extracting(DeviceEvent::sequence).isSorted();
    }

    @Test
    void oneSlotRunsJobsOneAtATimeAndTwoSlotsRunThemTogether() {
        for (int parallelism : new int[] {1, 2}) {
            events.clear();
            device(parallelism, 0.5); // each job holds its slot 100 ms
            device.prepare("a", bell(1));
            device.prepare("b", bell(2));
            awaitPrepared("a", "b");
            device.start("a");
            device.start("b");
            await().atMost(Duration.ofSeconds(5)).until(() -> device.status("b").state() == QpuJobState.COMPLETED
                    && device.status("a").state() == QpuJobState.COMPLETED);
            JobStatus a = device.status("a");
            JobStatus b = device.status("b");
            if (parallelism == 1) {
                assertThat(b.startedAt()).isAfterOrEqualTo(a.finishedAt());
            } else {
                assertThat(b.startedAt()).isBefore(a.finishedAt());
            }
            device.close();
        }
    }

    @Test
    void startBeforePreparationEndsRunsTheJobOnceReady() {
        device(1, 0);
        device.prepare("a", bell(1));
        device.start("a");
        await().atMost(Duration.ofSeconds(5)).until(() -> device.status("a").state() == QpuJobState.COMPLETED);
    }

    @Test
    void prepareAndStartAreIdempotent() {
        device(1, 0.01);
        device.prepare("a", bell(1));
        device.prepare("a", bell(999));
        device.start("a");
        device.start("a");
        await().atMost(Duration.ofSeconds(5)).until(() -> device.status("a").state() == QpuJobState.COMPLETED);
        device.start("a");
        device.prepare("a", bell(5));
        assertThat(device.status("a").resultJson()).contains("\"seed\":1");
        await().pollDelay(Duration.ofMillis(100)).until(() -> true);
        assertThat(events).filteredOn(e -> e.type() == DeviceEvent.Type.STARTED).hasSize(1);
        assertThat(events).filteredOn(e -> e.type() == DeviceEvent.Type.FINISHED).hasSize(1);
    }

    @Test
    void refusedJobFailsWithItsReasonAndNeverTakesASlot() {
        device(1, 0.01);
        device.prepare("bad", PrimitiveRequest.sampler(List.of(Pub.sampler("OPENQASM 3.0;\nqubit[9] q;")), 10, 1L));
        await().atMost(Duration.ofSeconds(5)).until(() -> device.status("bad").state() == QpuJobState.FAILED);
        assertThat(device.status("bad").reason()).isEqualTo("CircuitTooWide");
        assertThat(device.start("bad").state()).isEqualTo(QpuJobState.FAILED);
        assertThat(device.deviceStatus().busySlots()).isZero();
    }

    @Test
    void cancellingARunningJobFreesItsSlotAndChargesOnlyTheTimeUsed() {
        device(1, 5); // 1 s hold
        device.prepare("long", bell(1));
        device.prepare("next", bell(2));
        awaitPrepared("long", "next");
        device.start("long");
        device.start("next");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> device.status("long").state() == QpuJobState.RUNNING);
        JobStatus cancelled = device.cancel("long");
        assertThat(cancelled.state()).isEqualTo(QpuJobState.CANCELLED);
        assertThat(cancelled.quantumSeconds()).isLessThan(0.2);
        await().atMost(Duration.ofMillis(500)).until(() -> device.status("next").state() == QpuJobState.RUNNING);
        assertThat(device.cancel("long").state()).isEqualTo(QpuJobState.CANCELLED); // idempotent
        assertThat(device.status("long").resultJson()).isNull();
    }

    @Test
    void cancellingAPreparedJobKeepsItOffTheQpu() {
        device(1, 0.01);
        device.prepare("a", bell(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> device.status("a").state() == QpuJobState.PREPARED);
        device.cancel("a");
        device.start("a");
        assertThat(device.status("a").state()).isEqualTo(QpuJobState.CANCELLED);
        assertThat(device.status("a").quantumSeconds()).isZero();
    }

    @Test
    void calibrationWaitsForRunningJobsAndHoldsBackLaterOnes() {
        device(2, 2.5); // jobs hold a slot 0.5 s
        device.prepare("a", bell(1));
        device.start("a");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> device.status("a").state() == QpuJobState.RUNNING);
        device.calibrate(Duration.ofMillis(80)); // 200 ms wall-clock
        device.prepare("b", bell(2));
        device.start("b");
        await().atMost(Duration.ofSeconds(5)).until(() -> device.status("b").state() == QpuJobState.COMPLETED);
        DeviceEvent calStart = events.stream().filter(e -> e.type() == DeviceEvent.Type.CALIBRATION_STARTED)
                .findFirst().orElseThrow();
        DeviceEvent calEnd = events.stream().filter(e -> e.type() == DeviceEvent.Type.CALIBRATION_FINISHED)
                .findFirst().orElseThrow();
        long aFinished = events.stream().filter(e -> e.type() == DeviceEvent.Type.FINISHED && "a".equals(e.jobId()))
                .findFirst().orElseThrow().sequence();
        long bStarted = events.stream().filter(e -> e.type() == DeviceEvent.Type.STARTED && "b".equals(e.jobId()))
                .findFirst().orElseThrow().sequence();
        // Even with a free second slot, b waits behind the calibration, which waits for a.
        assertThat(calStart.sequence()).isGreaterThan(aFinished);
        assertThat(bStarted).isGreaterThan(calEnd.sequence());
    }

    @Test
    void unknownJobsAreReported() {
        device(1, 0);
        assertThatThrownBy(() -> device.status("nope")).isInstanceOf(UnknownJobException.class);
        assertThatThrownBy(() -> device.start("nope")).isInstanceOf(UnknownJobException.class);
        assertThatThrownBy(() -> device.cancel("nope")).isInstanceOf(UnknownJobException.class);
    }
}
