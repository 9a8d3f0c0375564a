package io.kubeqpu.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.controller.ManifestApplier;
import io.kubeqpu.controller.Manifests;
import io.kubeqpu.controller.OperatorHarness;
import io.kubeqpu.local.apiserver.EmbeddedApiServer;
import io.kubeqpu.scheduler.Decision;
import io.kubeqpu.simulator.device.JobStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Load through the embedded API (issue 7): single jobs, 100 concurrent sessions on 4 backends and a 200-job batch on
 * its own backend, all at once. Prints throughput (clock stopped when a watching client sees every job Completed with
 * its resultRef, failures counted apart: {@link CompletionWatch}), submit→start and submit→visible latency, the QPU's busy ratio during the batch and
 * the gaps between consecutive batch jobs as the QPU device saw them, and heap. A main, not a test.
 * Run: {@code java -cp target/test-classes:target/classes:$(cat cp.txt) io.kubeqpu.bench.LoadBench [singleJobs]}
 */
public final class LoadBench {
    public static void main(String[] args) throws Exception {
        try {
            run(args.length > 0 ? Integer.parseInt(args[0]) : 10_000);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    static void run(int singles) throws Exception {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        int sessions = 100, jobsPerSession = 2, batchJobs = 200;
        KubernetesMockServer server = EmbeddedApiServer.create();
        server.init(InetAddress.getLoopbackAddress(), 0);
        Map<String, Long> created = new ConcurrentHashMap<>(), started = new ConcurrentHashMap<>();
        try (KubernetesClient client = server.createClient(); OperatorHarness h = new OperatorHarness(client);
             CompletionWatch watch = new CompletionWatch(client, "default")) {
            h.core.observe(ds -> {
                long now = System.nanoTime();
                for (Decision d : ds) if (d instanceof Decision.StartJob s) started.putIfAbsent(s.job(), now);
            });
            StringBuilder setup = new StringBuilder(Manifests.instance("load", "premium", true));
            setup.append("\n---\n").append(Manifests.backend("singles", 4, 0.000001));
            // Batch jobs of ~1.03 s modelled QPU time at 0.05: ~50 ms each on the QPU, so the batch's 200 jobs are all
            // submitted well before it ends and the gaps measured are the scheduler's, not the submissions'.
            setup.append("\n---\n").append(Manifests.backend("batchq", 1, 0.05));
            for (int b = 0; b < 4; b++) setup.append("\n---\n").append(Manifests.backend("s" + b, 1, 0.000001));
            ManifestApplier.apply(client, setup.toString(), "default");
            Thread.sleep(500);

            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            StringBuilder batch = new StringBuilder("""
                    apiVersion: quantum.kubeqpu.io/v1alpha1
                    kind: QuantumBatch
                    metadata: {name: big}
                    spec:
                      backend: batchq
                      acceptingJobs: false
                      jobs:
                    """);
            for (int k = 0; k < batchJobs; k++)
                batch.append("    - name: j").append(k).append("\n      spec:\n        primitive: sampler\n        shots: 100\n")
                        .append("        pubs:\n          - circuit: |\n").append(Manifests.indent(Manifests.BELL, 14)).append('\n');
            pool.execute(() -> ManifestApplier.apply(client, batch.toString(), "default"));
            for (int s = 0; s < sessions; s++) {
                String name = "sess-" + s, backend = "s" + (s % 4);
                pool.execute(() -> {
                    ManifestApplier.apply(client, Manifests.session(name, backend, null, "1h", "1s")
                            .replace("interactiveTTL", "acceptingJobs: true\n  interactiveTTL"), "default");
                    for (int j = 0; j < jobsPerSession; j++) {
                        String job = name + "-" + j;
                        created.put("default/" + job, System.nanoTime());
                        ManifestApplier.apply(client, Manifests.job(job, null, "sessionRef:\n    name: " + name), "default");
                    }
                });
            }
            for (int i = 0; i < singles; i++) {
                String name = "single-" + i;
                pool.execute(() -> {
                    created.put("default/" + name, System.nanoTime());
                    ManifestApplier.apply(client, Manifests.job(name, "singles", "").replace("shots: 100", "shots: 1"), "default");
                });
            }
            int total = singles + sessions * jobsPerSession + batchJobs;
            // The clock stops when a watching client has seen every job end: Completed with its resultRef, or failed.
            while (watch.ended() < total) {
                if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(10))
                    throw new IllegalStateException("stalled: " + watch.completed.get() + " completed, " + watch.failures.get() + " failed of " + total);
                Thread.sleep(20);
            }
            long t1 = System.nanoTime();
            pool.shutdown();
            System.out.printf("%d jobs (%d single, %d in %d concurrent sessions, %d in a batch) seen ended by a watcher after %.1f s:"
                            + " %d Completed with resultRef (%.0f jobs/s), %d failed %s%n",
                    total, singles, sessions * jobsPerSession, sessions, batchJobs, (t1 - t0) / 1e9, watch.completed.get(),
                    watch.completed.get() / ((t1 - t0) / 1e9), watch.failures.get(), watch.failures.get() == 0 ? "" : watch.failureSummary());
            long[] done = created.entrySet().stream().filter(e -> watch.completedAt.containsKey(e.getKey()))
                    .mapToLong(e -> watch.completedAt.get(e.getKey()) - e.getValue()).sorted().toArray();
            if (done.length > 0)
                System.out.printf("submit→Completed with resultRef seen by the watcher, all single and session jobs under load: p50 %.1f ms, p99 %.1f ms%n",
                        done[done.length / 2] / 1e6, done[(int) (done.length * 0.99)] / 1e6);

            long[] lat = created.entrySet().stream().filter(e -> started.containsKey(e.getKey()))
                    .mapToLong(e -> started.get(e.getKey()) - e.getValue()).sorted().toArray();
            System.out.printf("submit→start decided (client create → the scheduler's StartJob), all single and session jobs under load: p50 %.1f ms, p99 %.1f ms%n",
                    lat[lat.length / 2] / 1e6, lat[(int) (lat.length * 0.99)] / 1e6);

            // The QPU's own view of the batch: when each job started and finished on the device.
            // The QPU knows a job by namespace_name_uid (QpuFleet), and the fleet forgets finished jobs: ask the device.
            List<JobStatus> runs = new ArrayList<>();
            var device = h.fleet.device("batchq").orElseThrow();
            for (QuantumJob j : client.resources(QuantumJob.class).inNamespace("default").list().getItems()) {
                if (!j.getMetadata().getName().startsWith("big-j")) continue;
                JobStatus st = device.status("default_" + j.getMetadata().getName() + "_" + j.getMetadata().getUid());
                if (st != null && st.startedAt() != null && st.finishedAt() != null) runs.add(st);
            }
            if (runs.size() != batchJobs) System.out.printf("(only %d of the batch's %d jobs found on its QPU)%n", runs.size(), batchJobs);
            runs.sort(Comparator.comparing(JobStatus::startedAt));
            double busy = 0;
            long[] gaps = new long[Math.max(0, runs.size() - 1)];
            for (int k = 0; k < runs.size(); k++) {
                busy += Duration.between(runs.get(k).startedAt(), runs.get(k).finishedAt()).toNanos();
                if (k > 0) gaps[k - 1] = Math.max(0, Duration.between(runs.get(k - 1).finishedAt(), runs.get(k).startedAt()).toNanos());
                if (k > 0 && gaps[k - 1] > 10_000_000L && System.getProperty("kubeqpu.bench.gaps") != null)
                    System.out.printf("  gap of %.1f ms before batch job #%d (%s)%n", gaps[k - 1] / 1e6, k, runs.get(k).jobId());
            }
            Arrays.sort(gaps);
            double span = Duration.between(runs.get(0).startedAt(), runs.get(runs.size() - 1).finishedAt()).toNanos();
            System.out.printf("batch of %d on its QPU: busy %.2f %% of %.2f s; gap between consecutive jobs median %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    runs.size(), 100 * busy / span, span / 1e9, gaps[gaps.length / 2] / 1e6, gaps[(int) (gaps.length * 0.99)] / 1e6,
                    gaps[gaps.length - 1] / 1e6);
            h.core.flush(60_000);
            for (int i = 0; i < 3; i++) System.gc();
            Runtime rt = Runtime.getRuntime();
            System.out.printf("heap used after the run and GC: %.0f MiB (operator + in-process API server with all objects)%n",
                    (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
        } finally {
            server.destroy();
        }
    }
}
