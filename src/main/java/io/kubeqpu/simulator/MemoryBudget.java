package io.kubeqpu.simulator;

import io.kubeqpu.simulator.engine.CopyBudget;

/**
 * Bytes of state vectors a simulator may hold at once, across all the jobs it runs. A job waits for its
 * state vector's memory instead of the process growing until it fails; a job whose state alone exceeds the
 * budget is refused at preparation. Dynamic circuits take extra copies only from what is free at the moment
 * ({@link #tryReserve}), and re-simulate instead when none is.
 */
public final class MemoryBudget implements CopyBudget {
    private final long capacity;
    private long used;

    public MemoryBudget(long capacityBytes) {
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("memory budget must be positive");
        }
        this.capacity = capacityBytes;
    }

    /**
     * Default: the JVM's maximum heap less 256 MiB for everything else (results, parsing, the HTTP server),
     * and at least 64 MiB.
     */
    public static MemoryBudget fromMaxHeap() {
        long max = Runtime.getRuntime().maxMemory();
        return new MemoryBudget(Math.max(64L << 20, max == Long.MAX_VALUE ? 4L << 30 : max - (256L << 20)));
    }

    public long capacity() {
        return capacity;
    }

    public synchronized long used() {
        return used;
    }

    /** Waits until {@code bytes} are free, then takes them. */
    public synchronized void acquire(long bytes) throws InterruptedException {
        if (bytes > capacity) {
            throw new IllegalArgumentException(bytes + " bytes exceed the memory budget of " + capacity);
        }
        while (used + bytes > capacity) {
            wait();
        }
        used += bytes;
    }

    @Override
    public synchronized boolean tryReserve(long bytes) {
        if (used + bytes > capacity) {
            return false;
        }
        used += bytes;
        return true;
    }

    @Override
    public synchronized void release(long bytes) {
        used -= bytes;
        notifyAll();
    }

    /** "1.5 GiB" style. */
    public static String describe(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        return String.format(java.util.Locale.ROOT, "%.0f MiB", bytes / (double) (1L << 20));
    }
}
