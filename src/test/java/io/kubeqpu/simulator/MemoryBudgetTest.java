package io.kubeqpu.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kubeqpu.simulator.device.DeviceOptions;
import io.kubeqpu.simulator.device.InProcessQpuDevice;
import io.kubeqpu.simulator.device.QpuJobState;
import io.kubeqpu.simulator.device.JobStatus;
import io.kubeqpu.simulator.engine.Parallelism;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    private static final String H = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n";

    private static String ghz(int n) {
        return H + "qubit[" + n + "] q; bit[" + n + "] c; h q[0]; for int i in [0:" + (n - 2) + "] { cx q[i], q[i+1]; }"
                + " c = measure q;";
    }

    @Test
    void aJobWaitsForMemoryInsteadOfGrowingTheProcess() throws Exception {
        MemoryBudget budget = new MemoryBudget(1 << 20);
        budget.acquire(800 << 10);
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
            try {
                budget.acquire(800 << 10);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertThat(second).isNotDone();
        assertThat(budget.tryReserve(300 << 10)).isFalse();
        budget.release(800 << 10);
        second.get(5, TimeUnit.SECONDS);
        assertThat(budget.used()).isEqualTo(800 << 10);
        assertThatThrownBy(() -> budget.acquire(2 << 20)).hasMessageContaining("exceed the memory budget");
    }

    @Test
    void aCircuitWhoseStateExceedsTheBudgetIsRefusedWithTheSizes() {
        QpuSimulator sim = new QpuSimulator(BackendProfile.defaults("small", 27), 26, Parallelism.SERIAL,
                new MemoryBudget(64L << 20));
        assertThatThrownBy(() -> sim.prepare(PrimitiveRequest.sampler(List.of(Pub.sampler(ghz(23))), 10, 1L)))
                .isInstanceOf(SimulationException.class)
                .hasMessageContaining("the circuit acts on 23 qubits, whose state vector needs 128 MiB;"
                        + " this simulator's memory budget is 64 MiB")
                .satisfies(e -> assertThat(((SimulationException) e).reason()).isEqualTo("CircuitTooLarge"));
    }

    @Test
    void deviceJobsShareTheBudgetAndAllComplete() {
        // Two slots, budget for one 22-qubit state (64 MiB) at a time: the second job waits, then runs.
        try (InProcessQpuDevice device = new InProcessQpuDevice(BackendProfile.defaults("dev", 27),
                DeviceOptions.defaults().withParallelism(2).withTimeScale(0).withThreads(1)
                        .withMemoryBudgetBytes(100L << 20))) {
            device.prepare("a", PrimitiveRequest.sampler(List.of(Pub.sampler(ghz(22))), 100, 1L));
            device.prepare("b", PrimitiveRequest.sampler(List.of(Pub.sampler(ghz(22))), 100, 2L));
            device.prepare("big", PrimitiveRequest.sampler(List.of(Pub.sampler(ghz(24))), 100, 2L));
            device.start("a");
            device.start("b");
            await().atMost(Duration.ofSeconds(60)).until(() -> device.status("a").state() == QpuJobState.COMPLETED
                    && device.status("b").state() == QpuJobState.COMPLETED);
            JobStatus big = device.status("big");
            assertThat(big.state()).isEqualTo(QpuJobState.FAILED);
            assertThat(big.reason()).isEqualTo("CircuitTooLarge");
            assertThat(big.message()).contains("256 MiB").contains("100 MiB");
        }
    }
}
