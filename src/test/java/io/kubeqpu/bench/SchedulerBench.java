package io.kubeqpu.bench;

import io.kubeqpu.scheduler.BackendSpec;
import io.kubeqpu.scheduler.Decision;
import io.kubeqpu.scheduler.Event;
import io.kubeqpu.scheduler.InstanceSpec;
import io.kubeqpu.scheduler.JobSpec;
import io.kubeqpu.scheduler.Plan;
import io.kubeqpu.scheduler.Scheduler;
import io.kubeqpu.scheduler.VirtualClock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Selection cost of the scheduler with 1k to 1M queued jobs across 1,000 instances (issues 2 and 16).
 *
 * <p>One "decision" is what happens when a job finishes on a busy backend: its usage is charged, fair share
 * reorders, the next job is selected, prepared and started. A new job is submitted each round so the queue
 * stays at its size. Each size runs in a fresh JVM (same JVM options and class path), so no size profits from
 * another's JIT warm-up or heap; within it, 20,000 decisions warm up before the measured ones. Prints p50/p99/max per
 * decision and the p99 growth per tenfold queue size. Not a test: it never fails on timing. Run:
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) io.kubeqpu.bench.SchedulerBench [rounds [size ...]]}
 * (default 50,000 rounds; sizes 1,000 10,000 100,000 1,000,000).
 */
public final class SchedulerBench {
    private static final int INSTANCES = 1_000;

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("--one")) { // a child: one size, one result line
            Result r = run(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            System.out.printf(java.util.Locale.ROOT, "RESULT %f %f %f %f%n", r.p50, r.p99, r.max, r.submitP99);
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int[] sizes = args.length > 1 ? java.util.Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1_000, 10_000, 100_000, 1_000_000};
        System.out.printf("scheduler selection cost, %d instances, %d measured decisions per size, each size in a fresh JVM%n",
                INSTANCES, rounds);
        System.out.printf("%10s %12s %12s %12s %12s%n", "queued", "p50 µs", "p99 µs", "max µs", "submit p99 µs");
        double previousP99 = 0;
        int previous = 0;
        for (int n : sizes) {
            Result r = inFreshJvm(n, rounds);
            System.out.printf("%10d %12.2f %12.2f %12.2f %12.2f%n", n, r.p50, r.p99, r.max, r.submitP99);
            if (previousP99 > 0) System.out.printf("%10s p99 grew %.2fx for %.0fx jobs (log n would be ~%.2fx)%n", "",
                    r.p99 / previousP99, n / (double) previous, Math.log(n) / Math.log(previous));
            previousP99 = r.p99;
            previous = n;
        }
    }

    /** Runs one size in a child JVM with this JVM's options and class path; its other output passes through. */
    static Result inFreshJvm(int queued, int rounds) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SchedulerBench.class.getName(), "--one",
                String.valueOf(queued), String.valueOf(rounds)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Result result = null;
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    String[] f = line.substring(7).trim().split(" ");
                    result = new Result(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]));
                } else {
                    System.out.println(line);
                }
            }
        }
        int exit = p.waitFor();
        if (result == null || exit != 0) throw new IllegalStateException("size " + queued + ": child JVM exited " + exit + " without a result (run this main with java -cp, not exec:java: the child needs the class path)");
        return result;
    }

    record Result(double p50, double p99, double max, double submitP99) {}

    static Result run(int queued, int rounds) {
        VirtualClock clock = new VirtualClock();
        Scheduler s = new Scheduler(clock);
        s.apply(new Event.BackendConfigured(BackendSpec.of("qpu")));
        for (int i = 0; i < INSTANCES; i++)
            s.apply(new Event.InstanceConfigured(InstanceSpec.of("i" + i, Plan.PREMIUM).withWeight(1 + i % 4)));
        SplittableRandom rnd = new SplittableRandom(42);
        long[] seq = {0};
        List<Decision> initial = new java.util.ArrayList<>();
        for (int k = 0; k < queued + 1; k++)
            initial.addAll(s.apply(new Event.JobSubmitted(JobSpec.of("j" + seq[0]++, "i" + rnd.nextInt(INSTANCES), "qpu"))));
        String running = drive(s, initial, null);

        int warmup = Math.min(rounds, 20_000);
        long[] decide = new long[rounds];
        long[] submit = new long[rounds];
        for (int k = -warmup; k < rounds; k++) {
            clock.advance(Duration.ofMillis(1 + rnd.nextInt(20)));
            long t0 = System.nanoTime();
            List<Decision> ds = s.apply(new Event.JobFinished(running, 1 + rnd.nextInt(20)));
            running = drive(s, ds, running);
            long t1 = System.nanoTime();
            String id = "j" + seq[0]++;
            s.apply(new Event.JobSubmitted(JobSpec.of(id, "i" + rnd.nextInt(INSTANCES), "qpu")));
            long t2 = System.nanoTime();
            if (k >= 0) {
                decide[k] = t1 - t0;
                submit[k] = t2 - t1;
            }
        }
        if (s.backend("qpu").orElseThrow().queueLength() < queued - 1) throw new IllegalStateException("queue drained");
        Arrays.sort(decide);
        Arrays.sort(submit);
        return new Result(pct(decide, 0.50), pct(decide, 0.99), decide[decide.length - 1] / 1e3, pct(submit, 0.99));
    }

    /** Acknowledges every preparation at once (an instant classical stage) until a job starts; returns it. */
    private static String drive(Scheduler s, List<Decision> ds, String running) {
        String started = null;
        java.util.ArrayDeque<Decision> todo = new java.util.ArrayDeque<>(ds);
        while (!todo.isEmpty()) {
            Decision d = todo.poll();
            if (d instanceof Decision.StartJob st) started = st.job();
            if (d instanceof Decision.PrepareJob p) todo.addAll(s.apply(new Event.JobPrepared(p.job())));
        }
        if (started == null) throw new IllegalStateException("nothing started after " + running);
        return started;
    }

    private static double pct(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))] / 1e3;
    }
}
