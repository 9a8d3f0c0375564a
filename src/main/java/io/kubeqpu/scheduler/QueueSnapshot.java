package io.kubeqpu.scheduler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * One backend's queue as the scheduler held it at one instant, for queue positions and start estimates read
 * <em>outside</em> the scheduler's lock (as Kueue's cache snapshot is): taking it copies references, O(queued jobs on
 * the backend) and no sorting. The first {@value #HEAD_INDEXED} positions come from one walk of the head of the queue;
 * a deeper job's position costs O(instances with queued jobs there), a comparison or two for most. So a status writer
 * that writes 100 positions never walks 10,000 queued jobs, and no event waits behind it.
 *
 * <p>The predicted order (DESIGN §3.5, an estimate and not a promise): staged jobs first, then the lease holder's
 * queue (beside a batch on a backend with several slots: interleaved with the normal queue, one batch job per
 * {@code parallelism − 1} normal ones), and the normal queue as fair share would drain it if every job took the
 * mean quantum seconds: the m-th job (0-based) of instance i leaves at virtual time {@code usage_i/weight_i +
 * m·step/weight_i}, ties in FIFO order. That closed form lets one position be computed without the others.
 *
 * <p>Only final fields of the jobs (id, instance, queue time, arrival sequence) are read after the lock is left.
 */
public final class QueueSnapshot {

    /** One instance's queued jobs on the backend, FIFO, with where its virtual clock starts and how fast it runs. */
    record Lane(String instance, double start, double increment, JobState[] jobs) {
        double key(int m) {
            return start + m * increment;
        }

        /** How many of this lane's jobs leave before a job with virtual time {@code k}. */
        int countBefore(double k, JobState job) {
            int len = jobs.length;
            if (len == 0 || key(0) > k) return 0;
            int m;
            if (increment > 0 && Double.isFinite(increment)) {
                // Closed form, then at most a step or two to undo rounding.
                double guess = Math.ceil((k - start) / increment);
                m = guess >= len ? len : (int) Math.max(0, guess);
                while (m > 0 && !before(m - 1, k, job)) m--;
                while (m < len && before(m, k, job)) m++;
            } else {
                int lo = 0, hi = len; // all keys equal: FIFO decides
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (before(mid, k, job)) lo = mid + 1;
                    else hi = mid;
                }
                m = lo;
            }
            return m;
        }

        private boolean before(int m, double k, JobState job) {
            double km = key(m);
            return km < k || (km == k && JobState.fifo(jobs[m], job) < 0);
        }
    }

    /** Positions known from one walk of the head of the queue; deeper ones are computed alone. */
    static final int HEAD_INDEXED = 128;
    /** {@link #HEAD_INDEXED}, but for tests that check the positions computed alone against the walk. */
    private int headIndexed = HEAD_INDEXED;

    private final JobState[] staged;
    private final String holder;
    private final JobState[] holderQueue;
    /** 0: the holder's queue goes before the normal queue; n: one holder job after every n normal ones. */
    private final int interleaveEvery;
    private final Lane[] lanes;
    /** Built on the first {@link #position} (outside the scheduler's lock, not when the snapshot is taken). */
    private volatile Index index;
    private final int normalSize;
    private final Instant now;
    private final double meanRunSeconds;
    private final int parallelism;
    private final Instant notBefore;

    QueueSnapshot(List<JobState> staged, WorkloadState holder, int interleaveEvery, Lane[] lanes, Instant now,
                  double meanRunSeconds, int parallelism, Instant notBefore) {
        this.staged = staged.toArray(JobState[]::new);
        this.holder = holder == null ? null : holder.id();
        this.holderQueue = holder == null ? new JobState[0] : holder.queue.copy();
        this.interleaveEvery = interleaveEvery;
        this.lanes = lanes;
        int n = 0;
        for (Lane l : lanes) n += l.jobs().length;
        this.normalSize = n;
        this.now = now;
        this.meanRunSeconds = meanRunSeconds;
        this.parallelism = parallelism;
        this.notBefore = notBefore;
    }

    static QueueSnapshot empty(Instant now) {
        return new QueueSnapshot(List.of(), null, 0, new Lane[0], now, EstimatedStart.DEFAULT_MEAN_JOB_SECONDS, 1, null);
    }

    public int size() {
        return staged.length + holderQueue.length + normalSize;
    }

    /** What a walk of the snapshot reads of each job: fields fixed when the job was queued. */
    @FunctionalInterface
    public interface QueuedJob {
        void visit(String job, String instance, Instant queuedAt);
    }

    /** Every job of the snapshot, staged, the lease holder's and the normal queue's, in no particular order. */
    public void forEachJob(QueuedJob visitor) {
        for (JobState j : staged) visitor.visit(j.id, j.instance, j.queuedAt);
        for (JobState j : holderQueue) visitor.visit(j.id, j.instance, j.queuedAt);
        for (Lane l : lanes) for (JobState j : l.jobs()) visitor.visit(j.id, j.instance, j.queuedAt);
    }

    /** The job's 1-based position, or 0 when it is not queued on this backend. */
    public int position(JobView job) {
        Index ix = index();
        Integer known = ix.head.get(job.id());
        if (known != null) return known;
        for (int i = 0; i < staged.length; i++) if (staged[i].id.equals(job.id())) return i + 1;
        JobState probe = probe(job);
        if (holder != null && holder.equals(job.workload())) {
            int b = Arrays.binarySearch(holderQueue, probe, JobState.FIFO);
            if (b >= 0 && holderQueue[b].id.equals(job.id())) return staged.length + holderPosition(b + 1);
        }
        Integer l = ix.laneOf.get(job.instance());
        if (l == null) return 0;
        Lane lane = lanes[l];
        int k = Arrays.binarySearch(lane.jobs(), probe, JobState.FIFO);
        if (k < 0 || !lane.jobs()[k].id.equals(job.id())) return 0;
        return staged.length + normalPosition(1 + k + ix.countBefore(l, lane.key(k), probe));
    }

    /** Tests: how many positions come from the walk of the head (0: every one is computed alone). Before any read. */
    QueueSnapshot headIndexed(int n) {
        if (index != null) throw new IllegalStateException("already read");
        headIndexed = n;
        return this;
    }

    private Index index() {
        Index ix = index;
        if (ix == null) index = ix = new Index();
        return ix;
    }

    /**
     * What one job's position is read from: the first {@value #HEAD_INDEXED} positions from one walk (a status
     * writer refreshes the head of the queue with every write of the backend), and each lane's first and last virtual
     * time and step in flat arrays, so that counting the jobs of other lanes ahead of a deep job is a tight loop: a lane
     * wholly before or after the job's virtual time counts in one comparison, one it falls inside by the closed form.
     */
    private final class Index {
        final Map<String, Integer> head = new LinkedHashMap<>();
        final Map<String, Integer> laneOf = new HashMap<>(lanes.length * 2);
        final double[] first = new double[lanes.length], last = new double[lanes.length], step = new double[lanes.length];
        final int[] length = new int[lanes.length];

        Index() {
            order(headIndexed, head::put);
            for (int i = 0; i < lanes.length; i++) {
                Lane l = lanes[i];
                laneOf.put(l.instance(), i);
                length[i] = l.jobs().length;
                first[i] = l.key(0);
                last[i] = l.key(Math.max(0, length[i] - 1));
                step[i] = l.increment();
            }
        }

        /** How many jobs of lanes other than {@code self} leave before a job with virtual time {@code k}. */
        int countBefore(int self, double k, JobState probe) {
            int n = 0;
            for (int i = 0; i < first.length; i++) {
                if (i == self || length[i] == 0 || first[i] > k) continue;
                if (last[i] < k) {
                    n += length[i];
                    continue;
                }
                // Inside the lane: the closed form, kept when the keys on both sides are strictly apart from k (as
                // Lane.key computes them); a tie or a rounding doubt goes to the lane's exact count, FIFO included.
                double inc = step[i];
                double g = inc > 0 && inc < Double.POSITIVE_INFINITY ? Math.ceil((k - first[i]) / inc) : -1;
                int m = (int) g;
                if (g >= 1 && m < length[i] && first[i] + (m - 1) * inc < k && first[i] + m * inc > k) n += m;
                else n += lanes[i].countBefore(k, probe);
            }
            return n;
        }
    }

    /** When the job at this 1-based position is expected to start ({@link EstimatedStart#at}). */
    public Instant estimatedStartAt(int position) {
        return EstimatedStart.at(now, position, meanRunSeconds, parallelism, notBefore);
    }

    /** The first {@code n} job ids in predicted order. */
    public List<String> head(int n) {
        List<String> out = new ArrayList<>(Math.min(n, size()));
        if (n <= headIndexed) {
            for (String id : index().head.keySet()) if (out.size() < n) out.add(id);
            return out;
        }
        order(n, (id, p) -> out.add(id));
        return out;
    }

    /** Every queued job's 1-based position, in predicted order. */
    public Map<String, Integer> positions() {
        Map<String, Integer> out = new LinkedHashMap<>();
        order(Integer.MAX_VALUE, out::put);
        return out;
    }

    /** Every queued job's estimated start, in predicted order. */
    public Map<String, Instant> estimates() {
        Map<String, Instant> out = new LinkedHashMap<>();
        order(Integer.MAX_VALUE, (id, p) -> out.put(id, estimatedStartAt(p)));
        return out;
    }

    private interface Sink {
        void put(String id, int position);
    }

    /** Walks the predicted order, stopping after {@code limit} jobs: a heap over the lanes, O(limit · log lanes). */
    private void order(int limit, Sink sink) {
        int p = 1;
        for (JobState j : staged) {
            if (p > limit) return;
            sink.put(j.id, p++);
        }
        record Cursor(Lane lane, int m) {}
        PriorityQueue<Cursor> heap = new PriorityQueue<>(Math.max(1, lanes.length), Comparator
                .<Cursor>comparingDouble(c -> c.lane().key(c.m()))
                .thenComparing(c -> c.lane().jobs()[c.m()], JobState.FIFO));
        for (Lane l : lanes) if (l.jobs().length > 0) heap.add(new Cursor(l, 0));
        int normal = 0, batch = 0;
        if (interleaveEvery == 0) for (; batch < holderQueue.length && p <= limit; batch++) sink.put(holderQueue[batch].id, p++);
        while (!heap.isEmpty() && p <= limit) {
            Cursor c = heap.poll();
            sink.put(c.lane().jobs()[c.m()].id, p++);
            if (c.m() + 1 < c.lane().jobs().length) heap.add(new Cursor(c.lane(), c.m() + 1));
            if (interleaveEvery > 0 && ++normal % interleaveEvery == 0 && batch < holderQueue.length && p <= limit)
                sink.put(holderQueue[batch++].id, p++);
        }
        for (; batch < holderQueue.length && p <= limit; batch++) sink.put(holderQueue[batch].id, p++);
    }

    /** Position, after the staged jobs, of the n-th (1-based) job of the normal queue. */
    private int normalPosition(int n) {
        if (interleaveEvery == 0) return holderQueue.length + n;
        return n + Math.min((n - 1) / interleaveEvery, holderQueue.length);
    }

    /** Position, after the staged jobs, of the b-th (1-based) job of the holder's queue. */
    private int holderPosition(int b) {
        if (interleaveEvery == 0) return b;
        long normalsBefore = (long) b * interleaveEvery;
        return normalsBefore <= normalSize ? (int) (normalsBefore + b) : normalSize + b;
    }

    /** A stand-in with the fields {@link JobState#FIFO} compares, to find the job among the copies. */
    private static JobState probe(JobView v) {
        return new JobState(v.id(), v.arrival(), v.instance(), v.backend(), null, null, v.queuedAt());
    }

    /** Lanes for {@link FairShareQueue#snapshot}: each instance's jobs merged into one FIFO array. */
    static JobState[] fifo(Collection<JobState> a, Collection<JobState> b) {
        JobState[] out = new JobState[a.size() + b.size()];
        var ia = a.iterator();
        var ib = b.iterator();
        JobState x = ia.hasNext() ? ia.next() : null, y = ib.hasNext() ? ib.next() : null;
        for (int i = 0; i < out.length; i++) {
            if (y == null || (x != null && JobState.FIFO.compare(x, y) <= 0)) {
                out[i] = x;
                x = ia.hasNext() ? ia.next() : null;
            } else {
                out[i] = y;
                y = ib.hasNext() ? ib.next() : null;
            }
        }
        return out;
    }
}
