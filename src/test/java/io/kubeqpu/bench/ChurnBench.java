package io.kubeqpu.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.controller.OperatorHarness;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Churn: jobs created, run and deleted in waves (default 20 waves of 5,000 = 100,000 jobs) through the embedded API
 * with an instant QPU, as a long-lived cluster sees them. After each wave it prints the heap after GC and the size of
 * every per-object map in the operator: none may grow with the number of deleted objects. Result ConfigMaps and
 * Events of a wave are deleted with it, as the garbage collector and the API server's event TTL would on a cluster
 * (the in-process API server shares the heap). Prints figures; never fails on them.
 * Run: {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.kubeqpu.bench.ChurnBench
 * [-Dexec.args="20 5000"]}
 */
public final class ChurnBench {

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    static void run(String[] args) throws Exception {
        int waves = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int perWave = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer").setLevel(java.util.logging.Level.WARNING);
        KubernetesMockServer server = io.kubeqpu.local.apiserver.EmbeddedApiServer.create();
        server.init(InetAddress.getLoopbackAddress(), 0);
        KubernetesClient client = server.createClient();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (OperatorHarness h = new OperatorHarness(client)) {
            OperatorBench.applyInstantBackend(client);
            Thread.sleep(500);
            double firstWaveHeap = 0;
            long t0 = System.nanoTime();
            for (int w = 0; w < waves; w++) {
                long tw = System.nanoTime();
                CountDownLatch created = new CountDownLatch(perWave);
                for (int i = 0; i < perWave; i++) {
                    // Names are reused from wave to wave, as GitOps re-applies the same manifests.
                    String name = "churn-" + i;
                    pool.execute(() -> {
                        try {
                            OperatorBench.create(client, name, null);
                        } finally {
                            created.countDown();
                        }
                    });
                }
                created.await();
                var jobs = client.resources(QuantumJob.class).inNamespace("default");
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                while (jobs.list().getItems().stream().filter(j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED
                        && j.getStatus().getResultRef() != null).count() < perWave) {
                    if (System.nanoTime() > deadline) throw new IllegalStateException("wave " + w + " stalled");
                    Thread.sleep(100);
                }
                long tDone = System.nanoTime();
                jobs.delete();
                while (!jobs.list().getItems().isEmpty()) Thread.sleep(50);
                client.configMaps().inNamespace("default").delete();
                client.v1().events().inNamespace("default").delete();
                h.core.flush(60_000);
                for (int k = 0; k < 3; k++) System.gc();
                Runtime rt = Runtime.getRuntime();
                double heap = (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
                if (w == 0) firstWaveHeap = heap;
                Map<String, Integer> sizes = h.core.retainedObjects();
                System.out.printf("wave %2d: %d jobs run in %.1f s (%.0f jobs/s), deleted; heap after GC %.0f MiB; operator keeps %s%n",
                        w + 1, perWave, (tDone - tw) / 1e9, perWave / ((tDone - tw) / 1e9), heap, sizes);
                if (w == waves - 1)
                    System.out.printf("%d jobs in %.0f s; heap after GC: first wave %.0f MiB, last wave %.0f MiB (%+.1f %%)%n",
                            waves * perWave, (System.nanoTime() - t0) / 1e9, firstWaveHeap, heap, 100 * (heap / firstWaveHeap - 1));
            }
        } finally {
            pool.shutdownNow();
            client.close();
            server.destroy();
        }
    }
}
