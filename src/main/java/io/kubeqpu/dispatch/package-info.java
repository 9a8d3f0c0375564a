/**
 * Carries the scheduler's decisions to the QPUs and their reports back: one {@link
 * io.kubeqpu.simulator.device.QpuDevice} per backend (in process, or a simulator pod over HTTP), jobs'
 * primitive requests kept until prepared, device events translated into scheduler events.
 */
package io.kubeqpu.dispatch;
