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
 * writer does to decide whether to write. Meanwhile a second thread applies scheduler events (a job finishes, the next
 * is prepared and started, a new one is submitted) and records how long each waited for the scheduler's lock: the same
 * events run first without the writer, for the baseline. Also printed, in the same run: the old way, every position and
 * estimate of the queue computed at once, as the writer did once per backend per pass.
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
        // With the writer: its passes on this thread, events on another.
        AtomicBoolean stop = new AtomicBoolean();
        long[] eventsWith = new long[400_000];
        int[] eventCount = {0};
        Thread events = new Thread(() -> {
            while (!stop.get() && eventCount[0] < eventsWith.length) {
                eventsWith[eventCount[0]++] = d.oneEvent();
                java.util.concurrent.locks.LockSupport.parkNanos(PACE_NANOS);
            }
        }, "events");
        long[] pass = new long[passes], queuePart = new long[passes], jobsPart = new long[passes], restPart = new long[passes];
        long[] perKey = new long[passes * 282];
        long[] oldWay = new long[200];
        long[] hold = new long[passes];
        long gcCount0 = gcCount(), gcMillis0 = gcMillis();
        int keys = 0, olds = 0;
        long written = 0;
        SplittableRandom wr = new SplittableRandom(11); // the writer's own: the event thread has the driver's
        for (int p = -200; p < passes; p++) { // 200 warm-up passes
            if (p == 0) events.start();
            long start = System.nanoTime();
            StatusComposer c = new StatusComposer(s, context);
            List<String> jobs = new ArrayList<>(c.headOfQueue("qpu", 100));
            written += json(c.backend("qpu"));
            long afterQueue = System.nanoTime();
            for (int k = 0; k < 100; k++) jobs.add(d.randomQueued(wr));
            for (int k = 0; k < 20; k++) jobs.add(completed.get(wr.nextInt(completed.size())));
            for (String id : jobs) {
                long k0 = System.nanoTime();
                written += json(c.job(id));
                if (p >= 0 && keys < perKey.length) perKey[keys++] = System.nanoTime() - k0;
            }
            long afterJobs = System.nanoTime();
            for (int k = 0; k < 50; k++) written += json(c.instance("lab/i" + wr.nextInt(INSTANCES)));
            for (int k = 0; k < 10; k++) written += json(c.workload((k % 2 == 0 ? "session:" : "batch:") + "lab/w" + (wr.nextInt(100) * 2 + k % 2)));
            if (p >= 0) {
                long end = System.nanoTime();
                pass[p] = end - start;
                queuePart[p] = afterQueue - start;
                jobsPart[p] = afterJobs - afterQueue;
                restPart[p] = end - afterJobs;
            }
            long h0 = System.nanoTime();
            s.queueSnapshot("qpu"); // the writer's longest hold of the scheduler's lock, timed alone
            if (p >= 0) hold[p] = System.nanoTime() - h0;
        }
        stop.set(true);
        events.join();
        long gcCount = gcCount() - gcCount0, gcMillis = gcMillis() - gcMillis0;
        // The old way, in the same run once the writer stopped: every position and estimate of the queue at once.
        for (int k = -20; k < oldWay.length; k++) {
            long o0 = System.nanoTime();
            QueueSnapshot q = s.queueSnapshot("qpu");
            written += q.positions().size() + q.estimates().size();
            if (k >= 0) oldWay[olds++] = System.nanoTime() - o0;
        }
        long[] with = Arrays.copyOf(eventsWith, eventCount[0]);
        System.out.printf(Locale.ROOT, "%d passes (after 200 warm-up), %d events alongside, %d chars composed%n", passes, with.length, written);
        row("writer pass (282 objects)", Arrays.copyOf(pass, passes));
        row("  snapshot, backend, head 100", queuePart);
        row("  220 jobs", jobsPart);
        row("  50 instances, 10 workloads", restPart);
        row("  one job's status", Arrays.copyOf(perKey, keys));
        row("  queue snapshot (lock held)", hold);
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
        System.out.printf(Locale.ROOT, "queue at the end: %d; GC while measuring: %d collections, %d ms in all%n",
                s.backend("qpu").orElseThrow().queueLength(), gcCount, gcMillis);
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

        /** One round (finish, start the next, submit one), returning the longest wait for the scheduler's lock in it. */
        long oneEvent() {
            long worst = 0;
            long w0 = System.nanoTime();
            synchronized (s) { // the scheduler's own monitor: how long this waited for it is the lock wait
                worst = Math.max(worst, System.nanoTime() - w0);
                finishRunning();
            }
            String id = nextId();
            w0 = System.nanoTime();
            synchronized (s) {
                worst = Math.max(worst, System.nanoTime() - w0);
                submit(JobSpec.of(id, "lab/i" + rnd.nextInt(INSTANCES), "qpu"));
            }
            return worst;
        }

        Sampler events(int n) {
            long[] waits = new long[n];
            for (int k = 0; k < n; k++) {
                waits[k] = oneEvent();
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
