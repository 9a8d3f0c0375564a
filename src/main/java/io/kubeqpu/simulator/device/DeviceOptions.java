package io.kubeqpu.simulator.device;

/**
 * @param prepareLanes       parallel classical pre-processing lanes (design default 5)
 * @param parallelism        jobs the QPU runs at once
 * @param timeScale          wall-clock seconds per modelled QPU second (0.001 = 1000× faster than real)
 * @param retainedJobs       finished jobs kept for {@code status} before the oldest are forgotten
 * @param threads            threads of the simulator's gate kernels, shared by its running jobs; 0 = the
 *                           available processors
 * @param memoryBudgetBytes  bytes of state vectors held at once by all running jobs; a job waits for its share,
 *                           a job that alone needs more is refused; 0 = the JVM's max heap less 256 MiB
 */
public record DeviceOptions(int prepareLanes, int parallelism, double timeScale, int retainedJobs, int threads,
                            long memoryBudgetBytes) {

    public DeviceOptions {
        if (prepareLanes < 1 || parallelism < 1 || retainedJobs < 1 || !(timeScale >= 0)) {
            throw new IllegalArgumentException("lanes, parallelism and retained jobs must be positive, time scale >= 0");
        }
        if (threads < 0 || memoryBudgetBytes < 0) {
            throw new IllegalArgumentException("threads and memory budget must be >= 0 (0 = default)");
        }
    }

    public DeviceOptions(int prepareLanes, int parallelism, double timeScale, int retainedJobs) {
        this(prepareLanes, parallelism, timeScale, retainedJobs, 0, 0);
    }

    public static DeviceOptions defaults() {
        return new DeviceOptions(5, 1, 1.0, 10_000);
    }

    public DeviceOptions withParallelism(int p) {
        return new DeviceOptions(prepareLanes, p, timeScale, retainedJobs, threads, memoryBudgetBytes);
    }

    public DeviceOptions withTimeScale(double scale) {
        return new DeviceOptions(prepareLanes, parallelism, scale, retainedJobs, threads, memoryBudgetBytes);
    }

    public DeviceOptions withThreads(int t) {
        return new DeviceOptions(prepareLanes, parallelism, timeScale, retainedJobs, t, memoryBudgetBytes);
    }

    public DeviceOptions withMemoryBudgetBytes(long bytes) {
        return new DeviceOptions(prepareLanes, parallelism, timeScale, retainedJobs, threads, bytes);
    }
}
