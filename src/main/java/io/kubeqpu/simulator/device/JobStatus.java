package io.kubeqpu.simulator.device;

import java.time.Instant;

/**
 * A snapshot of one job on a device.
 *
 * @param startRequested  {@code start} was called (a start during preparation takes effect when it ends)
 * @param quantumSeconds  after preparation: the timing model's estimate; once finished: the QPU time charged
 *                        (a job cancelled while running is charged the time it ran)
 * @param reason          failure reason code ({@code QasmSyntaxError}, …) or {@code Cancelled}; null otherwise
 * @param resultJson      the Qiskit-shaped result when {@link QpuJobState#COMPLETED}
 */
public record JobStatus(String jobId, QpuJobState state, boolean startRequested, Double quantumSeconds, String reason,
                        String message, Instant preparedAt, Instant startedAt, Instant finishedAt, String resultJson) {
}
