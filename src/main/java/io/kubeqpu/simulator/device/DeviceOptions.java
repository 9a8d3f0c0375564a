package io.kubeqpu.simulator.device;

/**
 * @param prepareLanes       parallel classical pre-processing lanes (design default 5)
 * @param parallelism        jobs the QPU runs at once
 * @param timeScale          wall-clock seconds per modelled QPU second (0.001 = 1000× faster than real)
 * @param retainedJobs       finished jobs kept for {@code status} before the oldest are forgotten
 */
public record DeviceOptions(int prepareLanes, int parallelism, double timeScale, int retainedJobs) {

    public DeviceOptions {
        if (prepareLanes < 1 || parallelism < 1 || retainedJobs < 1 || !(timeScale >= 0)) {
            throw new IllegalArgumentException("lanes, parallelism and retained jobs must be positive, time scale >= 0");
        }
    }

    public static DeviceOptions defaults() {
        return new DeviceOptions(5, 1, 1.0, 10_000);
    }

    public DeviceOptions withParallelism(int p) {
        return new DeviceOptions(prepareLanes, p, timeScale, retainedJobs);
    }

    public DeviceOptions withTimeScale(double scale) {
        return new DeviceOptions(prepareLanes, parallelism, scale, retainedJobs);
    }
}
