package io.kubeqpu.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeqpu.controller.StatusComposer;
import io.kubeqpu.scheduler.BackendSpec;
import io.kubeqpu.scheduler.Decision;
import io.kubeqpu.scheduler.Event;
import io.kubeqpu.scheduler.InstanceSpec;
import io.kubeqpu.scheduler.JobSpec;
import io.kubeqpu.scheduler.JobView;
import io.kubeqpu.scheduler.Plan;
import io.kubeqpu.scheduler.QueueSnapshot;
import io.kubeqpu.scheduler.Scheduler;
import io.kubeqpu.scheduler.VirtualClock;
import io.kubeqpu.scheduler.WorkloadSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The status writer's reads at scale (issue 16): 100,000 finished and 10,000 queued jobs over 1,000 instances, one
 * backend (the longest queue), 200 finished sessions and batches.
 *
 * <p>A "pass" is what the writer does after a burst of decisions, apart from the HTTP writes: the backend's status and
 * its first 100 queue positions, 100 other queued jobs (their positions and start estimates), 20 completed jobs, 50
 * instances and 10 workloads, each composed by the operator's {@link StatusComposer} and serialized to JSON as the
 * writer does to decide whether to write (on its patch threads: printed apart, and within the pass). After passes to warm up (until the JIT compiler is
 * quiet), the passes are timed alone, then again while a second thread applies scheduler events (a job finishes, the next is prepared and
 * started, a new one is submitted) and records how long each waited for the scheduler's lock, and whether a collection
 * ran meanwhile: the same events run first without the writer, for the baseline. Also printed, in the same run: the old
 * way, every position and estimate of the queue computed at once, as the writer did once per backend per pass.
 *
 * <p>Not a test: it prints figures and never fails on timing. Run:
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) io.kubeqpu.bench.StatusWriterBench [passes]}
 */
public final class StatusWriterBench {
    private static final int INSTANCES = 1_000;
    private static final int FINISHED = 100_000;
    private static final int QUEUED = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Events come about every 0.2 ms (a few thousand a second, more than the operator sees at 400 jobs/s). */
    private static final long PACE_NANOS = 200_000;
    private static final int MAX_WARM_UP = 20_000;

    public static void main(String[] args) throws Exception {
        int passes = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        VirtualClock clock = new VirtualClock();
        Scheduler s = new Scheduler(clock);
        SplittableRandom rnd = new SplittableRandom(7);
        long t0 = System.nanoTime();
        s.apply(new Event.BackendConfigured(BackendSpec.of("qpu")));
        for (int i = 0; i < INSTANCES; i++)
            s.apply(new Event.InstanceConfigured(InstanceSpec.of("lab/i" + i, Plan.PREMIUM).withWeight(1 + i % 4)));
        Driver d = new Driver(s, clock, rnd);
        for (int w = 0; w < 200; w++) {
            String id = (w % 2 == 0 ? "session:" : "batch:") + "lab/w" + w;
            String instance = "lab/i" + rnd.nextInt(INSTANCES);
            s.apply(new Event.WorkloadCreated(w % 2 == 0 ? WorkloadSpec.session(id, instance, "qpu") : WorkloadSpec.batch(id, instance, "qpu")));
            for (int k = 0; k < 5; k++) d.submit(JobSpec.inWorkload("lab/w" + w + "-" + k, id));
            d.finishAll();
            s.apply(new Event.WorkloadClosed(id));
        }
        while (d.finished < FINISHED) {
            for (int k = 0; k < 100; k++) d.submit(JobSpec.of(d.nextId(), "lab/i" + rnd.nextInt(INSTANCES), "qpu"));
            d.finishAll();
        }
        for (int k = 0; k < QUEUED; k++) d.submit(JobSpec.of(d.nextId(), "lab/i" + rnd.nextInt(INSTANCES), "qpu"));
        System.out.printf(Locale.ROOT, "built in %.1f s: %d finished, %d queued (%d jobs in all), %d instances, %d workloads%n",
                (System.nanoTime() - t0) / 1e9, d.finished, s.backend("qpu").orElseThrow().queueLength(), s.jobs().size(),
                INSTANCES, s.workloads().size());

        List<String> completed = s.jobs().stream().filter(v -> v.phase().isTerminal()).map(JobView::id).limit(5_000).toList();
        StatusComposer.Context context = new StatusComposer.Context(id -> true, id -> false, b -> true, id -> null, id -> 1e6);

        // Baseline: events alone.
        Sampler baseline = d.events(20_000);
        Writer writer = new Writer(s, context, d, completed);
        // Events on another thread, while `eventsOn`; the waits are recorded while `recording`.
        AtomicBoolean stop = new AtomicBoolean(), eventsOn = new AtomicBoolean(true), recording = new AtomicBoolean();
        long[] eventsWith = new long[400_000], oversleep = new long[eventsWith.length];
        boolean[] duringGc = new boolean[eventsWith.length];
        int[] eventCount = {0};
        Thread events = new Thread(() -> {
            while (!stop.get() && eventCount[0] < eventsWith.length) {
                if (!eventsOn.get()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    continue;
                }
                int k = eventCount[0];
                long waited = d.oneEvent(duringGc, k);
                long p0 = System.nanoTime();
                java.util.concurrent.locks.LockSupport.parkNanos(PACE_NANOS);
                if (recording.get()) {
                    eventsWith[k] = waited;
                    // How much later than asked the thread ran again: the operating system's delay, no lock involved.
                    oversleep[k] = Math.max(0, System.nanoTime() - p0 - PACE_NANOS);
                    eventCount[0] = k + 1;
                }
            }
        }, "events");
        events.start();
        // Warm-up, events alongside, until the JIT compiler is quiet: with 200 passes the slowest measured passes were
        // the first ~70, and the compiler still took half a core seconds later, competing with both threads for the
        // two cores. A long-running operator has long been compiled.
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        int warmUp = 0;
        for (long compiled = -1; warmUp < MAX_WARM_UP && jit.getTotalCompilationTime() - compiled > 5; warmUp += 500) {
            compiled = jit.getTotalCompilationTime();
            writer.passes(500, false);
        }
        eventsOn.set(false);
        Thread.sleep(5);
        long gcCount0 = gcCount(), gcMillis0 = gcMillis();
        Writer.Figures alone = writer.passes(passes, true);
        long gcAlone = gcCount() - gcCount0;
        // With the writer: its passes on this thread, events on another.
        recording.set(true);
        eventsOn.set(true);
        long gcCount1 = gcCount();
        Writer.Figures figures = writer.passes(passes, true);
        stop.set(true);
        events.join();
        long gcCount = gcCount() - gcCount0, gcMillis = gcMillis() - gcMillis0, gcWith = gcCount() - gcCount1;
        long[] oldWay = new long[200];
        int olds = 0;
        long written = writer.written;
        // The old way, in the same run once the writer stopped: every position and estimate of the queue at once.
        for (int k = -20; k < oldWay.length; k++) {
            long o0 = System.nanoTime();
            QueueSnapshot q = s.queueSnapshot("qpu");
            written += q.positions().size() + q.estimates().size();
            if (k >= 0) oldWay[olds++] = System.nanoTime() - o0;
        }
        long[] with = Arrays.copyOf(eventsWith, eventCount[0]);
        System.out.printf(Locale.ROOT, "%d passes alone, then %d with %d events alongside, after %d to warm up (JIT compiler quiet%s); %d chars composed%n",
                passes, passes, with.length, warmUp, warmUp >= MAX_WARM_UP ? ": NOT REACHED" : "", written);
        row("writer pass, alone (282 objects)", alone.pass());
        row("  composing (the writer's thread)", alone.composing());
        System.out.printf(Locale.ROOT, "  (%d young collections during those passes)%n", gcAlone);
        row("writer pass, events alongside", figures.pass());
        row("  composing (the writer's thread)", figures.composing());
        row("  serializing (its patch threads)", figures.serializing());
        row("  snapshot, backend, head 100", figures.queuePart());
        row("  220 jobs", figures.jobsPart());
        row("  50 instances, 10 workloads", figures.restPart());
        row("  one job's status, both", figures.perKey());
        row("  its longest composition (bounds a hold)", figures.longestCall());
        System.out.printf(Locale.ROOT, "  passes with a call over 1 ms: %d, of which %d ran a collection%n", figures.slowCalls(), figures.slowCallsInGc());
        row("  old: whole queue's positions", Arrays.copyOf(oldWay, olds));
        // The dashboard's refresh and a metrics scrape, in the same run: what each holds the scheduler's lock for now
        // (backend views, indexes, queue snapshots) beside what they held it for before (a view of every job; of every
        // queued job after a walk of all).
        long[] dashboard = new long[50], allViews = new long[50], queuedViews = new long[50], snapshot = new long[50];
        io.kubeqpu.observe.TimelineJson timeline = new io.kubeqpu.observe.TimelineJson(
                new io.kubeqpu.observe.TimelineRecorder(() -> s, clock), () -> s);
        for (int k = -10; k < dashboard.length; k++) {
            long a = System.nanoTime();
            written += timeline.render(clock.instant()).length();
            long b = System.nanoTime();
            written += s.jobs().size();
            long c = System.nanoTime();
            written += s.queuedJobs().size();
            long e = System.nanoTime();
            s.queueSnapshot("qpu").forEachJob((job, instance, queuedAt) -> { });
            long f = System.nanoTime();
            if (k < 0) continue;
            dashboard[k] = b - a;
            allViews[k] = c - b;
            queuedViews[k] = e - c;
            snapshot[k] = f - e;
        }
        row("dashboard refresh (render)", dashboard);
        row("  old: every job's view (locked)", allViews);
        row("metrics: snapshot + walk", snapshot);
        row("  old: queued jobs' views (locked)", queuedViews);
        row("event lock wait, no writer", baseline.lockWait());
        row("event lock wait, with writer", Arrays.copyOf(with, with.length));
        // A wait over 1 ms that spans a collection waited for the collector (every thread stops), not for the writer.
        int over = 0, overInGc = 0;
        for (int k = 0; k < with.length; k++) if (eventsWith[k] > 1_000_000) {
            over++;
            if (duringGc[k]) overInGc++;
        }
        System.out.printf(Locale.ROOT, "  events that waited over 1 ms: %d, of which %d spanned a collection (%d collections while the writer ran), %d did not%n",
                over, overInGc, gcWith, over - overInGc);
        long[] late = Arrays.copyOf(oversleep, with.length);
        row("  a 0.2 ms pause between events, woken late by", late);
        System.out.printf(Locale.ROOT, "  pauses woken over 1 ms late (no lock involved): %d%n", Arrays.stream(late).filter(n -> n > 1_000_000).count());
        System.out.printf(Locale.ROOT, "queue at the end: %d; GC while measuring: %d collections, %d ms in all (%s)%n",
                s.backend("qpu").orElseThrow().queueLength(), gcCount, gcMillis,
                java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName()).toList());
    }

    /** Applies events the way a QPU and users would: finishes the running job, starts the next, submits one more. */
    static final class Driver {
        final Scheduler s;
        final VirtualClock clock;
        final SplittableRandom rnd;
        final List<String> queuedIds = new ArrayList<>();
        String running;
        long seq;
        int finished;

        Driver(Scheduler s, VirtualClock clock, SplittableRandom rnd) {
            this.s = s;
            this.clock = clock;
            this.rnd = rnd;
        }

        String nextId() {
            return "lab/j" + seq++;
        }

        void submit(JobSpec spec) {
            drive(s.apply(new Event.JobSubmitted(spec)));
            if (!spec.id().equals(running)) synchronized (queuedIds) {
                queuedIds.add(spec.id());
            }
        }

        /** Finishes jobs until nothing runs. */
        void finishAll() {
            while (running != null) finishRunning();
        }

        private void finishRunning() {
            clock.advance(Duration.ofMillis(1 + rnd.nextInt(20)));
            String r = running;
            running = null;
            drive(s.apply(new Event.JobFinished(r, 0.5 + rnd.nextInt(10))));
            finished++;
        }

        private void drive(List<Decision> ds) {
            var todo = new java.util.ArrayDeque<>(ds);
            while (!todo.isEmpty()) {
                Decision d = todo.poll();
                if (d instanceof Decision.StartJob st) running = st.job();
                if (d instanceof Decision.PrepareJob p) todo.addAll(s.apply(new Event.JobPrepared(p.job())));
            }
        }

        /**
         * One round (finish, start the next, submit one), returning the longest wait for the scheduler's lock in it;
         * {@code duringGc[k]} is set when a collection ran while it waited.
         */
        long oneEvent(boolean[] duringGc, int k) {
            long worst = 0;
            for (int step = 0; step < 2; step++) {
                long g0 = gcCount();
                long w0 = System.nanoTime();
                synchronized (s) { // the scheduler's own monitor: how long this waited for it is the lock wait
                    long waited = System.nanoTime() - w0;
                    if (waited > worst) {
                        worst = waited;
                        if (duringGc != null) duringGc[k] = gcCount() != g0;
                    }
                    if (step == 0) finishRunning();
                    else submit(JobSpec.of(nextId(), "lab/i" + rnd.nextInt(INSTANCES), "qpu"));
                }
            }
            return worst;
        }

        Sampler events(int n) {
            long[] waits = new long[n];
            for (int k = 0; k < n; k++) {
                waits[k] = oneEvent(null, k);
                java.util.concurrent.locks.LockSupport.parkNanos(PACE_NANOS);
            }
            return new Sampler(waits);
        }

        /** A job id that was queued at some point (it may have started since: then it shows its new phase). */
        String randomQueued(SplittableRandom r) {
            synchronized (queuedIds) {
                return queuedIds.get(queuedIds.size() - 1 - r.nextInt(Math.min(queuedIds.size(), QUEUED)));
            }
        }
    }

    record Sampler(long[] lockWait) {}

    /**
     * The writer's passes: the backend's status and its first 100 queue positions, 100 other queued jobs, 20 completed
     * jobs, 50 instances and 10 workloads, composed and serialized.
     */
    static final class Writer {
        record Figures(long[] pass, long[] composing, long[] serializing, long[] queuePart, long[] jobsPart, long[] restPart,
                       long[] perKey, long[] longestCall, int slowCalls, int slowCallsInGc) {}

        final Scheduler s;
        final StatusComposer.Context context;
        final Driver d;
        final List<String> completed;
        final SplittableRandom wr = new SplittableRandom(11); // the writer's own: the event thread has the driver's
        long written;
        /** The longest call into the scheduler of the pass under way (composing, not serializing: no lock there). */
        private long longest;
        /** Time spent serializing in the pass under way: the operator does it on its patch threads. */
        private long serializing;

        Writer(Scheduler s, StatusComposer.Context context, Driver d, List<String> completed) {
            this.s = s;
            this.context = context;
            this.d = d;
            this.completed = completed;
        }

        /** Composes and serializes one status; returns how long both took. Composing bounds the lock hold inside it. */
        private long timed(java.util.function.Supplier<StatusComposer.Picture> compose) {
            long t0 = System.nanoTime();
            StatusComposer.Picture picture = compose.get();
            long t1 = System.nanoTime();
            written += json(picture);
            long t2 = System.nanoTime();
            longest = Math.max(longest, t1 - t0);
            serializing += t2 - t1;
            return t2 - t0;
        }

        Figures passes(int passes, boolean record) {
            long[] pass = new long[passes], queuePart = new long[passes], jobsPart = new long[passes], restPart = new long[passes];
            long[] composing = new long[passes], serialized = new long[passes];
            long[] perKey = new long[passes * 220];
            long[] longestCall = new long[passes];
            int keys = 0, slow = 0, slowInGc = 0;
            for (int p = 0; p < passes; p++) {
                long gc0 = gcCount();
                longest = 0;
                serializing = 0;
                long start = System.nanoTime();
                StatusComposer c = new StatusComposer(s, context);
                long h0 = System.nanoTime();
                List<String> jobs = new ArrayList<>(c.headOfQueue("qpu", 100)); // the snapshot: the longest hold
                longest = System.nanoTime() - h0;
                timed(() -> c.backend("qpu"));
                long afterQueue = System.nanoTime();
                for (int k = 0; k < 100; k++) jobs.add(d.randomQueued(wr));
                for (int k = 0; k < 20; k++) jobs.add(completed.get(wr.nextInt(completed.size())));
                for (String id : jobs) {
                    long took = timed(() -> c.job(id));
                    if (keys < perKey.length) perKey[keys++] = took;
                }
                long afterJobs = System.nanoTime();
                for (int k = 0; k < 50; k++) {
                    String id = "lab/i" + wr.nextInt(INSTANCES);
                    timed(() -> c.instance(id));
                }
                for (int k = 0; k < 10; k++) {
                    String id = (k % 2 == 0 ? "session:" : "batch:") + "lab/w" + (wr.nextInt(100) * 2 + k % 2);
                    timed(() -> c.workload(id));
                }
                long end = System.nanoTime();
                pass[p] = end - start;
                serialized[p] = serializing;
                composing[p] = pass[p] - serializing;
                queuePart[p] = afterQueue - start;
                jobsPart[p] = afterJobs - afterQueue;
                restPart[p] = end - afterJobs;
                longestCall[p] = longest;
                if (longest > 1_000_000) {
                    slow++;
                    if (gcCount() != gc0) slowInGc++;
                }
            }
            return record ? new Figures(pass, composing, serialized, queuePart, jobsPart, restPart, Arrays.copyOf(perKey, keys), longestCall, slow, slowInGc) : null;
        }
    }

    private static long gcCount() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionCount())).sum();
    }

    private static long gcMillis() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
    }

    private static int json(StatusComposer.Picture p) {
        if (p == null) return 0;
        try {
            return JSON.writeValueAsString(p.status()).length();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void row(String what, long[] nanos) {
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "%-32s n=%7d  p50 %9.1f µs  p99 %9.1f µs  p99.9 %9.1f µs  max %9.1f µs%n", what, nanos.length,
                pct(nanos, 0.5), pct(nanos, 0.99), pct(nanos, 0.999), nanos[nanos.length - 1] / 1e3);
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))] / 1e3;
    }
}
