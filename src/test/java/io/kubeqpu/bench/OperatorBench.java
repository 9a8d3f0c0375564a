package io.kubeqpu.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.controller.ManifestApplier;
import io.kubeqpu.controller.OperatorHarness;
import io.kubeqpu.scheduler.Decision;
import io.kubeqpu.scheduler.JobPhase;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The operator end to end through the embedded API (Fabric8 mock server, CRUD mode) with an instant QPU
 * (time scale 1e-6): latency on an idle backend, then 10,000 QuantumJobs' throughput, then heap. Every clock stops
 * when a watching client sees the job {@code Completed} with its {@code resultRef} ({@link CompletionWatch}), not at
 * the scheduler's decision; failures are counted apart. Prints figures; never fails on timing. Run: {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.kubeqpu.bench.OperatorBench [-Dexec.args="10000"]}
 */
public final class OperatorBench {
    static final String CIRCUIT = "OPENQASM 3.0;\\ninclude \\\"stdgates.inc\\\";\\nqubit[1] q;\\nbit[1] c;\\nx q[0];\\nc[0] = measure q[0];";

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int latencySamples = 200;
        // The mock server logs every request at INFO.
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer").setLevel(java.util.logging.Level.WARNING);
        // The embedded API of the README's first command: the mock's CRUD store behind schema + CEL validation.
        KubernetesMockServer server = io.kubeqpu.local.apiserver.EmbeddedApiServer.create();
        server.init(InetAddress.getLoopbackAddress(), 0);
        KubernetesClient client = server.createClient();
        try {
            measure("embedded API server", client, total, latencySamples);
        } finally {
            client.close();
            server.destroy();
        }
        System.exit(0);
    }

    /**
     * The measurement against any API server the client reaches (the embedded one here; kube-apiserver in
     * {@code io.kubeqpu.realcluster.RealApiServerBench}): installs nothing but a backend and an instance in
     * {@code default}.
     */
    public static void measure(String label, KubernetesClient client, int total, int latencySamples) throws Exception {
        Map<String, Long> started = new ConcurrentHashMap<>();
        Map<String, Long> decidedCompleted = new ConcurrentHashMap<>();
        try (OperatorHarness h = new OperatorHarness(client); CompletionWatch watch = new CompletionWatch(client, "default")) {
            h.core.observe(ds -> {
                long now = System.nanoTime();
                for (Decision d : ds) {
                    if (d instanceof Decision.StartJob s) started.putIfAbsent(s.job(), now);
                    if (d instanceof Decision.JobPhaseChanged c && c.phase() == JobPhase.COMPLETED) decidedCompleted.putIfAbsent(c.job(), now);
                }
            });
            applyInstantBackend(client);
            Thread.sleep(500);

            // 1. Latency on an idle backend: one job at a time, the next once the watcher saw the previous one done.
            long[] toStart = new long[latencySamples];
            long[] toVisible = new long[latencySamples];
            for (int i = 0; i < latencySamples; i++) {
                String id = "default/idle-" + i;
                int before = watch.ended();
                long t0 = System.nanoTime();
                create(client, "idle-" + i, null);
                while (watch.ended() == before) {
                    if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(1)) throw new IllegalStateException(id + " never ended");
                    Thread.sleep(0, 200_000);
                }
                if (!watch.completedAt.containsKey(id)) throw new IllegalStateException(id + " ended " + watch.failed.get(id));
                toStart[i] = started.get(id) - t0;
                toVisible[i] = watch.completedAt.get(id) - t0;
            }
            Arrays.sort(toStart);
            Arrays.sort(toVisible);
            System.out.printf(label + ": idle backend, %d jobs one at a time: submit→start decided p50 %.1f ms, p99 %.1f ms;"
                            + " submit→Completed with resultRef seen by a watcher p50 %.1f ms, p99 %.1f ms%n",
                    latencySamples, pct(toStart, 0.50), pct(toStart, 0.99), pct(toVisible, 0.50), pct(toVisible, 0.99));

            // 2. Throughput: all jobs submitted by 8 client threads, as fast as the API server takes them; the clock
            //    stops when the watcher has seen every one of them end (Completed with resultRef, or failed).
            int baseCompleted = watch.completed.get(), baseFailed = watch.failures.get();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            long t0 = System.nanoTime();
            createAll(pool, client, "load-", total);
            long tCreated = System.nanoTime();
            while (watch.completed.get() - baseCompleted + watch.failures.get() - baseFailed < total) {
                if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(10))
                    throw new IllegalStateException("stalled: " + (watch.completed.get() - baseCompleted) + " completed, "
                            + (watch.failures.get() - baseFailed) + " failed of " + total);
                Thread.sleep(20);
            }
            long t1 = System.nanoTime();
            int ok = watch.completed.get() - baseCompleted, failed = watch.failures.get() - baseFailed;
            System.out.printf(label + ": %d jobs: created in %.1f s (%.0f/s); all seen ended by a watcher after %.1f s: %d Completed with"
                            + " resultRef (%.0f jobs/s end to end), %d failed %s%n", total, (tCreated - t0) / 1e9,
                    total / ((tCreated - t0) / 1e9), (t1 - t0) / 1e9, ok, ok / ((t1 - t0) / 1e9), failed,
                    failed == 0 ? "" : watch.failureSummary());
            long[] lag = lags(decidedCompleted, watch, "load-", total);
            int n = lag.length;
            if (n > 0) System.out.printf(label + ": status lag, scheduler's Completed decision → Completed with resultRef seen by the"
                    + " watcher (%d jobs): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", n, pct(lag, 0.50), pct(lag, 0.99), lag[n - 1] / 1e6);

            // 3. The same lag with 10,000 jobs really queued (in step 2 they complete about as fast as they arrive):
            //    a session holds the backend (DESIGN §3.4) while 10,000 normal jobs wait behind it; its own jobs run
            //    one at a time as a variational loop's would; then it closes and the 10,000 drain.
            ManifestApplier.apply(client, """
                    apiVersion: quantum.kubeqpu.io/v1alpha1
                    kind: QuantumSession
                    metadata: {name: hold}
                    spec: {backend: instant, maxTTL: "1h", interactiveTTL: "10m"}
                    """, "default");
            awaitSeen(watch, "default/hold-0", () -> create(client, "hold-0", "hold"));
            int waiting = total;
            createAll(pool, client, "queued-", waiting);
            long tq = System.nanoTime();
            while (h.core.scheduler().backend("instant").orElseThrow().queueLength() < waiting) {
                if (System.nanoTime() - tq > TimeUnit.MINUTES.toNanos(2)) throw new IllegalStateException("the jobs never all queued");
                Thread.sleep(20);
            }
            long[] sessionLag = new long[latencySamples];
            for (int i = 1; i <= latencySamples; i++) {
                String id = "default/hold-" + i;
                String name = "hold-" + i;
                awaitSeen(watch, id, () -> create(client, name, "hold"));
                sessionLag[i - 1] = watch.completedAt.get(id) - decidedCompleted.get(id);
            }
            Arrays.sort(sessionLag);
            System.out.printf(label + ": status lag with %d jobs queued behind a session, its %d jobs one at a time:"
                            + " p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d still queued)%n", waiting, latencySamples, pct(sessionLag, 0.50),
                    pct(sessionLag, 0.99), sessionLag[latencySamples - 1] / 1e6, h.core.scheduler().backend("instant").orElseThrow().queueLength());
            int drainCompleted = watch.completed.get(), drainFailed = watch.failures.get();
            long td = System.nanoTime();
            client.resources(io.kubeqpu.api.v1alpha1.QuantumSession.class).inNamespace("default").withName("hold")
                    .edit(s -> {
                        s.getSpec().setAcceptingJobs(false);
                        return s;
                    });
            while (watch.completed.get() - drainCompleted + watch.failures.get() - drainFailed < waiting) {
                if (System.nanoTime() - td > TimeUnit.MINUTES.toNanos(10)) throw new IllegalStateException("the queue never drained");
                Thread.sleep(20);
            }
            long tDrained = System.nanoTime();
            pool.shutdown();
            long[] drainLag = lags(decidedCompleted, watch, "queued-", waiting);
            int dn = drainLag.length;
            System.out.printf(label + ": the session closed, the %d queued jobs drained in %.1f s (%.0f jobs/s, %d failed); their status lag"
                            + " p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", waiting, (tDrained - td) / 1e9, (watch.completed.get() - drainCompleted) / ((tDrained - td) / 1e9),
                    watch.failures.get() - drainFailed, pct(drainLag, 0.50), pct(drainLag, 0.99), dn == 0 ? Double.NaN : drainLag[dn - 1] / 1e6);

            h.core.flush(60_000);
            for (int i = 0; i < 3; i++) System.gc();
            Runtime rt = Runtime.getRuntime();
            System.out.printf(label + ": heap used after the run and GC: %.0f MiB (operator + in-process API server holding %d jobs, results and events)%n",
                    (rt.totalMemory() - rt.freeMemory()) / 1048576.0, 2 * total + 2 * latencySamples + 1);
        }
    }

    /** The p-quantile of sorted nanosecond samples, in milliseconds. */
    static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))] / 1e6;
    }

    /** An instant QPU ({@code instant}, 4 slots, time scale 1e-6, no calibration) and a default premium instance. */
    static void applyInstantBackend(KubernetesClient client) {
        ManifestApplier.apply(client, """
                    apiVersion: quantum.kubeqpu.io/v1alpha1
                    kind: QuantumBackend
                    metadata: {name: instant}
                    spec:
                      numQubits: 2
                      parallelism: 4
                      timing: {timeScale: 0.000001}
                      calibration: {interval: "0s", duration: "0s"}
                    ---
                    apiVersion: quantum.kubeqpu.io/v1alpha1
                    kind: QuantumInstance
                    metadata: {name: bench}
                    spec: {plan: premium, default: true}
                    """, "default");
    }

    /** {@code n} jobs named prefix0…, created by the pool's threads as fast as the API server takes them. */
    static void createAll(ExecutorService pool, KubernetesClient client, String prefix, int n) throws InterruptedException {
        CountDownLatch created = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            String name = prefix + i;
            pool.execute(() -> {
                create(client, name, null);
                created.countDown();
            });
        }
        created.await();
    }

    /** Decision → seen Completed with resultRef, sorted, for the jobs named prefix0… that both happened to. */
    static long[] lags(Map<String, Long> decidedCompleted, CompletionWatch watch, String prefix, int n) {
        long[] lag = new long[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            String id = "default/" + prefix + i;
            Long decided = decidedCompleted.get(id), seen = watch.completedAt.get(id);
            if (decided != null && seen != null) lag[k++] = seen - decided;
        }
        lag = Arrays.copyOf(lag, k);
        Arrays.sort(lag);
        return lag;
    }

    /** Creates a job (in the named session, if any) and waits until the watcher has seen it Completed with its resultRef. */
    static void awaitSeen(CompletionWatch watch, String id, Runnable create) throws InterruptedException {
        int before = watch.ended();
        long t0 = System.nanoTime();
        create.run();
        while (!watch.completedAt.containsKey(id)) {
            if (watch.failed.containsKey(id)) throw new IllegalStateException(id + " ended " + watch.failed.get(id));
            if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(1)) throw new IllegalStateException(id + " never ended (" + before + ")");
            Thread.sleep(0, 200_000);
        }
    }

    static void create(KubernetesClient client, String name, String session) {
        String yaml = """
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumJob
                metadata: {name: %s, namespace: default}
                spec:
                  backend: instant
                  primitive: sampler
                  shots: 1
                  %s
                  pubs:
                    - circuit: "%s"
                """.formatted(name, session == null ? "" : "sessionRef: {name: " + session + "}", CIRCUIT);
        client.resources(QuantumJob.class).inNamespace("default")
                .resource(client.getKubernetesSerialization().unmarshal(yaml, QuantumJob.class)).create();
    }
}
