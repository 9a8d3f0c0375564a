package io.kubeqpu.install;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumBatch;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.QuantumSession;
import io.kubeqpu.api.v1alpha1.WorkloadPhase;
import io.kubeqpu.controller.ManifestApplier;
import io.kubeqpu.controller.OperatorHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the operator (the test harness: the same reconcilers and core as the image) over config/samples/ against a
 * Fabric8 mock API server in CRUD mode, and returns every API call the operator made, as RBAC permissions. The
 * operator's client has its own User-Agent, so the test's own calls (applying samples, polling) are left out.
 */
final class OperatorApiCalls {
    static final String OPERATOR_AGENT = "kubeqpu-operator-under-test";
    static final Duration T = Duration.ofSeconds(60);
    private static Set<ApiAccess> cached;

    private OperatorApiCalls() {}

    /** Runs the scenario once per JVM (it takes a few seconds); every test reads the same observation. */
    static synchronized Set<ApiAccess> observe() {
        if (cached == null) cached = Set.copyOf(run());
        return cached;
    }

    private static Set<ApiAccess> run() {
        // CRUD mode, as @EnableKubernetesMockClient(crud = true) builds it: objects are stored and watched.
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient test = server.createClient();
             KubernetesClient operator = new KubernetesClientBuilder()
                     .withConfig(new ConfigBuilder(test.getConfiguration()).withUserAgent(OPERATOR_AGENT).build()).build()) {
            // CRDs first with the test's client, so the harness's own CRD install is an update we can recognise.
            OperatorHarness.installCrds(test);
            try (OperatorHarness h = new OperatorHarness(operator)) {
                // A leftover result ConfigMap (as after an operator restart mid-save): ResultStore's create conflicts and
                // it replaces the ConfigMap instead, so the scenario also takes that path.
                test.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("bell-result")
                        .endMetadata().addToData("result.json", "{}").build()).create();
                for (Path sample : samples()) ManifestApplier.apply(test, Files.readString(sample), "default");
                await().atMost(T).until(() -> phase(test, "bell") == JobPhase.COMPLETED);
                await().atMost(T).until(() -> test.configMaps().inNamespace("default").withName("bell-result").get()
                        .getData().get("result.json").contains("counts"));
                await().atMost(T).until(() -> test.resources(QuantumJob.class).inNamespace("default").list().getItems().stream()
                        .filter(j -> j.getMetadata().getName().startsWith("rx-sweep-")).count() == 10);
                await().atMost(T).until(() -> phase(test, "vqe-iter-1") == JobPhase.COMPLETED);
                await().atMost(T).until(() -> {
                    QuantumSession s = test.resources(QuantumSession.class).inNamespace("default").withName("students-session").get();
                    return s.getStatus() != null && s.getStatus().getPhase() == WorkloadPhase.REJECTED;
                });
                // Deleting workloads exercises the cleanup paths (finalizers, cancellation).
                test.resources(QuantumBatch.class).inNamespace("default").withName("rx-sweep").delete();
                test.resources(QuantumSession.class).inNamespace("default").withName("vqe").delete();
                test.resources(QuantumJob.class).inNamespace("default").withName("bell").delete();
                await().atMost(T).until(() -> test.resources(QuantumBatch.class).inNamespace("default").withName("rx-sweep").get() == null
                        && test.resources(QuantumSession.class).inNamespace("default").withName("vqe").get() == null
                        && test.resources(QuantumJob.class).inNamespace("default").withName("bell").get() == null);
            }
            return operatorCalls(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            server.destroy();
        }
    }

    private static JobPhase phase(KubernetesClient c, String job) {
        QuantumJob j = c.resources(QuantumJob.class).inNamespace("default").withName(job).get();
        return j == null || j.getStatus() == null ? null : j.getStatus().getPhase();
    }

    static Set<ApiAccess> operatorCalls(KubernetesMockServer server) {
        Set<ApiAccess> calls = operatorCallsFrom(server, OPERATOR_AGENT);
        // The harness installs the CRDs with the operator's client; the real operator does not
        // (quarkus.operator-sdk.crd.apply=false: Helm/kustomize install them).
        calls.removeIf(a -> a.group().equals("apiextensions.k8s.io") && Set.of("create", "update", "get").contains(a.verb()));
        return calls;
    }

    /** The calls recorded so far whose User-Agent contains {@code agent}, as permissions. */
    static Set<ApiAccess> operatorCallsFrom(KubernetesMockServer server, String agentPart) {
        Set<ApiAccess> calls = new TreeSet<>();
        try {
            for (RecordedRequest r; (r = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null; ) {
                String agent = r.getHeader("User-Agent");
                if (agent != null && agent.contains(agentPart)) calls.add(ApiAccess.of(r.getMethod(), r.getPath()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return calls;
    }

    static java.util.List<Path> samples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("config", "samples"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
