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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator end to end through the embedded API (Fabric8 mock server, CRUD mode) with an instant QPU
 * (time scale 1e-6): submit→start latency on an idle backend, then 10,000 QuantumJobs' throughput, then heap.
 * Prints figures; never fails on timing. Run: {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test
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
        Map<String, Long> submitted = new ConcurrentHashMap<>();
        Map<String, Long> started = new ConcurrentHashMap<>();
        AtomicInteger completed = new AtomicInteger();
        try (OperatorHarness h = new OperatorHarness(client)) {
            h.core.observe(ds -> {
                long now = System.nanoTime();
                for (Decision d : ds) {
                    if (d instanceof Decision.StartJob s) started.putIfAbsent(s.job(), now);
                    if (d instanceof Decision.JobPhaseChanged c && c.phase() == JobPhase.COMPLETED) completed.incrementAndGet();
                }
            });
            applyInstantBackend(client);
            Thread.sleep(500);

            // 1. Latency on an idle backend: one job at a time.
            long[] latency = new long[latencySamples];
            for (int i = 0; i < latencySamples; i++) {
                String name = "idle-" + i;
                int before = completed.get();
                long t0 = System.nanoTime();
                submitted.put("default/" + name, t0);
                create(client, name);
                while (completed.get() == before) Thread.sleep(0, 200_000);
                latency[i] = started.get("default/" + name) - t0;
            }
            Arrays.sort(latency);
            System.out.printf(label + ": submit→start on an idle backend (%d jobs, one at a time): p50 %.1f ms, p99 %.1f ms%n",
                    latencySamples, latency[latencySamples / 2] / 1e6, latency[(int) (latencySamples * 0.99)] / 1e6);

            // 2. Throughput: all jobs submitted by 8 client threads, as fast as the API server takes them.
            int base = completed.get();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch created = new CountDownLatch(total);
            long t0 = System.nanoTime();
            for (int i = 0; i < total; i++) {
                String name = "load-" + i;
                pool.execute(() -> {
                    create(client, name);
                    created.countDown();
                });
            }
            created.await();
            long tCreated = System.nanoTime();
            while (completed.get() - base < total) {
                if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(10)) throw new IllegalStateException("stalled at " + (completed.get() - base));
                Thread.sleep(20);
            }
            long t1 = System.nanoTime();
            pool.shutdown();
            System.out.printf(label + ": %d jobs: created in %.1f s (%.0f/s), all completed after %.1f s: %.0f jobs/s end to end%n", total,
                    (tCreated - t0) / 1e9, total / ((tCreated - t0) / 1e9), (t1 - t0) / 1e9, total / ((t1 - t0) / 1e9));
            h.core.flush(60_000);
            for (int i = 0; i < 3; i++) System.gc();
            Runtime rt = Runtime.getRuntime();
            System.out.printf(label + ": heap used after the run and GC: %.0f MiB (operator + in-process API server holding %d jobs, results and events)%n",
                    (rt.totalMemory() - rt.freeMemory()) / 1048576.0, total + latencySamples);
        }
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

    static void create(KubernetesClient client, String name) {
        String yaml = """
                apiVersion: quantum.kubeqpu.io/v1alpha1
                kind: QuantumJob
                metadata: {name: %s, namespace: default}
                spec:
                  backend: instant
                  primitive: sampler
                  shots: 1
                  pubs:
                    - circuit: "%s"
                """.formatted(name, CIRCUIT);
        client.resources(QuantumJob.class).inNamespace("default")
                .resource(client.getKubernetesSerialization().unmarshal(yaml, QuantumJob.class)).create();
    }
}
