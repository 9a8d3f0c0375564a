/**
 * The scheduler core: pure Java, no Kubernetes types, clock injected, deterministic.
 *
 * <p>{@link io.kubeqpu.scheduler.Scheduler} takes {@link io.kubeqpu.scheduler.Event}s (jobs submitted,
 * prepared, finished; workloads created, closed, cancelled; time advanced; backends up or down) and
 * answers with {@link io.kubeqpu.scheduler.Decision}s (prepare, start, cancel, lease acquired or
 * released, phase changes, calibration). It implements Qiskit Runtime's job, batch and session
 * execution modes as described in DESIGN.md §3; docs/scheduler.md explains the model.
 *
 * <p>{@code Scheduler} is the facade and the one lock; the rules live in package-private parts named for them
 * ({@code BackendLoop}, {@code Leases}, {@code Calibration}, {@code JobLifecycle}, {@code WorkloadLifecycle},
 * {@code BackendLifecycle}, {@code InstanceLifecycle}, {@code UsageLedger}, {@code Deadlines}, {@code Snapshots}),
 * which share one {@code SchedulerState}: docs/scheduler.md, "Where the rules live", says which rule is where.
 */
package io.kubeqpu.scheduler;
