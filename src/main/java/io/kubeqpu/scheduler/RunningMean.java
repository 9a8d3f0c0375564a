package io.kubeqpu.scheduler;

/**
 * The mean of the seconds seen so far, the last 1,000 weighing most (an exact mean up to 1,000 values, then an
 * exponential one), and at least 1 ms each: what the scheduler keeps of finished jobs' times.
 */
final class RunningMean {
    private double value;
    private long n;

    RunningMean(double initial) {
        this.value = initial;
    }

    void add(double seconds) {
        n++;
        value += (Math.max(seconds, 1e-3) - value) / Math.min(n, 1000);
    }

    double value() {
        return value;
    }
}
