package io.kubeqpu.simulator.engine;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.stream.IntStream;

/**
 * The threads the gate kernels split a sweep over. Work is cut into contiguous index ranges; sums are taken
 * over chunks of a fixed size and added in chunk order, so results do not depend on the thread count (the same
 * seed gives the same samples on 1 or 16 threads).
 */
public final class Parallelism {
    public static final Parallelism SERIAL = new Parallelism(1);
    /** Below this many items a sweep is not worth handing out. */
    static final long MIN_PARALLEL = 1 << 14;
    /** Fixed reduction chunk (items), independent of the thread count. */
    static final int SUM_CHUNK = 1 << 13;

    public interface Range {
        void run(long from, long to);
    }

    public interface RangeSum {
        double sum(long from, long to);
    }

    private final int threads;
    private final ForkJoinPool pool;

    public Parallelism(int threads) {
        this.threads = Math.max(1, threads);
        this.pool = this.threads > 1 ? new ForkJoinPool(this.threads, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setDaemon(true);
            t.setName("qpu-kernel-" + t.getPoolIndex());
            return t;
        }, null, false) : null;
    }

    private static final java.util.concurrent.ConcurrentHashMap<Integer, Parallelism> SHARED =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The process-wide pool of {@code threads} workers ({@code ≤ 0}: the available processors). Shared, so the
     * devices of one JVM (tests, the local demo) do not each start their own threads for the same cores.
     */
    public static Parallelism of(int threads) {
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        return n == 1 ? SERIAL : SHARED.computeIfAbsent(n, Parallelism::new);
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code body} over {@code [0, n)} in contiguous ranges, in parallel when worth it. */
    public void forRange(long n, Range body) {
        forRange(n, MIN_PARALLEL, body);
    }

    /** As {@link #forRange(long, Range)}, parallel from {@code 2 × grain} items, in ranges of at least {@code grain / 4}. */
    public void forRange(long n, long grain, Range body) {
        if (pool == null || n < 2 * grain) {
            body.run(0, n);
            return;
        }
        int chunks = (int) Math.min(threads * 4L, Math.max(2, n / Math.max(1, grain / 4)));
        long size = (n + chunks - 1) / chunks;
        pool.submit(() -> IntStream.range(0, chunks).parallel().forEach(c -> {
            long from = c * size;
            long to = Math.min(n, from + size);
            if (from < to) {
                body.run(from, to);
            }
        })).join();
    }

    /** Σ over {@code [0, n)}: per fixed-size chunk, then the partial sums in order (deterministic). */
    public double sum(long n, RangeSum body) {
        int chunks = (int) ((n + SUM_CHUNK - 1) / SUM_CHUNK);
        double[] partial = new double[chunks];
        forRange(chunks, 2, (from, to) -> {
            for (long c = from; c < to; c++) {
                partial[(int) c] = body.sum(c * SUM_CHUNK, Math.min(n, (c + 1) * SUM_CHUNK));
            }
        });
        double s = 0;
        for (double v : partial) {
            s += v;
        }
        return s;
    }
}
