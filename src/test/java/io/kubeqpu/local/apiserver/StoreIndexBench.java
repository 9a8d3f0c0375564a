package io.kubeqpu.local.apiserver;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;

/**
 * GET-by-name and merge PATCH latency of Fabric8's scanning CRUD store against {@link IndexedCrudDispatcher}, with N
 * ConfigMaps stored (default 20,000). Prints figures; not a test. Run:
 * {@code java -cp target/test-classes:target/classes:<test classpath> io.kubeqpu.local.apiserver.StoreIndexBench [N]}
 */
public final class StoreIndexBench {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        for (KubernetesCrudDispatcher d : new KubernetesCrudDispatcher[] {new KubernetesCrudDispatcher(),
                new IndexedCrudDispatcher()}) {
            String label = d.getClass().getSimpleName();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                d.dispatch(request(HttpMethod.POST, "/api/v1/namespaces/ns" + (i % 4) + "/configmaps",
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-" + i
                                + "\",\"labels\":{\"app\":\"a" + (i % 10) + "\"}},\"data\":{\"k\":\"v\"}}", null));
            }
            System.out.printf("%-24s %,d creates: %.1f s%n", label, n, (System.nanoTime() - t0) / 1e9);
            for (int round = 0; round < 3; round++) {
                int gets = 2_000;
                t0 = System.nanoTime();
                for (int i = 0; i < gets; i++) {
                    int k = (i * 7919) % n;
                    int code = d.dispatch(request(HttpMethod.GET, "/api/v1/namespaces/ns" + (k % 4) + "/configmaps/cm-" + k,
                            null, null)).code();
                    if (code != 200) {
                        throw new IllegalStateException("GET " + k + " answered " + code);
                    }
                }
                double getUs = (System.nanoTime() - t0) / 1e3 / gets;
                int patches = 500;
                t0 = System.nanoTime();
                for (int i = 0; i < patches; i++) {
                    int k = (i * 104_729) % n;
                    d.dispatch(request(HttpMethod.PATCH, "/api/v1/namespaces/ns" + (k % 4) + "/configmaps/cm-" + k,
                            "{\"data\":{\"k\":\"v" + round + "\"}}", "application/merge-patch+json"));
                }
                double patchUs = (System.nanoTime() - t0) / 1e3 / patches;
                System.out.printf("%-24s %,d stored, round %d: GET by name %.1f µs, merge PATCH %.1f µs%n", label, n,
                        round, getUs, patchUs);
            }
        }
    }

    private static RecordedRequest request(HttpMethod method, String path, String body, String contentType) {
        Headers.Builder headers = Headers.builder();
        if (contentType != null) {
            headers.add("Content-Type", contentType);
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        return new RecordedRequest("HTTP/1.1", method, path, headers.build(), new Buffer(bytes));
    }
}
