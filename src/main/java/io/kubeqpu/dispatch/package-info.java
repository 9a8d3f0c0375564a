/**
 * Carries the scheduler's decisions to the QPUs and their reports back: one {@link
 * io.kubeqpu.simulator.device.QpuDevice} per backend (in process, or a simulator pod over HTTP), jobs'
 * primitive requests kept until prepared, device events translated into scheduler events.
 *
 * <p>The QPU's contract ({@code QpuDevice}) stays with the simulator, which publishes it, as a vendor's SDK publishes
 * its device API: the simulator pod serves a {@code QpuDevice} over HTTP and its client is one too. Here it is only
 * used. In {@code dispatch}, it would make the simulator, which knows nothing of the operator, depend on it.
 */
package io.kubeqpu.dispatch;
