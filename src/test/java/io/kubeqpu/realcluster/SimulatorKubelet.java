package io.kubeqpu.realcluster;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Stands in for the kubelet of the simulator pods (the control plane has no nodes): when the operator creates a
 * backend's simulator Deployment, this runs its container as a local process (the same jar, role {@code simulator},
 * the Deployment's environment) on a loopback port fixed in advance, and reports the Deployment ready once the QPU
 * answers {@code /healthz}; a deleted Deployment stops its process. The processes outlive operator restarts, as
 * pods would; the operator reaches them through {@code KUBEQPU_SIMULATOR_URLS}.
 */
public final class SimulatorKubelet implements AutoCloseable {
    private final ControlPlane cp;
    private final String namespace;
    private final Path jar;
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();
    private final Map<String, Process> running = new ConcurrentHashMap<>();
    private final Watch watch;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    public SimulatorKubelet(ControlPlane cp, String namespace, Path jar, List<String> backends) throws IOException {
        this.cp = cp;
        this.namespace = namespace;
        this.jar = jar;
        for (String b : backends) ports.put(b, ControlPlane.freePort());
        watch = cp.admin.apps().deployments().inNamespace(namespace)
                .withLabel("app.kubernetes.io/component", "simulator").watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Deployment d) {
                        onEvent(action, d);
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                });
    }

    /** {@code KUBEQPU_SIMULATOR_URLS} for the operator: every backend this kubelet may run. */
    public String urls() {
        return ports.entrySet().stream().map(e -> e.getKey() + "=http://127.0.0.1:" + e.getValue())
                .collect(Collectors.joining(","));
    }

    public boolean running(String backend) {
        Process p = running.get(backend);
        return p != null && p.isAlive();
    }

    /** Where the backend's simulator process answers. */
    public URI url(String backend) {
        return URI.create("http://127.0.0.1:" + ports.get(backend));
    }

    private void onEvent(Watcher.Action action, Deployment d) {
        String backend = d.getMetadata().getLabels().get("quantum.kubeqpu.io/backend");
        if (backend == null) return;
        if (action == Watcher.Action.DELETED) {
            Process p = running.remove(backend);
            if (p != null) p.destroy();
            return;
        }
        Integer port = ports.get(backend);
        if (port == null) {
            System.err.println("SimulatorKubelet: no port planned for backend " + backend + ": its QPU does not run");
            return;
        }
        boolean ready = d.getStatus() != null && d.getStatus().getReadyReplicas() != null && d.getStatus().getReadyReplicas() > 0;
        if (running(backend) && ready) return;
        Thread t = new Thread(() -> startAndReport(backend, port, d), "simulator-kubelet-" + backend);
        t.setDaemon(true);
        t.start();
    }

    private synchronized void startAndReport(String backend, int port, Deployment d) {
        try {
            if (!running(backend)) {
                var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
                List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                        "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString()));
                command.addAll(container.getArgs());
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(cp.dir.resolve("simulator-" + backend + ".log").toFile());
                for (EnvVar e : container.getEnv()) if (e.getValue() != null) pb.environment().put(e.getName(), e.getValue());
                pb.environment().put("KUBEQPU_SIMULATOR_PORT", String.valueOf(port));
                running.put(backend, pb.start());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!healthy(port)) {
                if (System.nanoTime() > deadline || !running(backend)) {
                    System.err.println("SimulatorKubelet: simulator of " + backend + " not healthy: "
                            + ControlPlane.tail(cp.dir.resolve("simulator-" + backend + ".log")));
                    return;
                }
                Thread.sleep(100);
            }
            String status = "{\"status\":{\"observedGeneration\":" + d.getMetadata().getGeneration()
                    + ",\"replicas\":1,\"updatedReplicas\":1,\"readyReplicas\":1,\"availableReplicas\":1}}";
            cp.admin.apps().deployments().inNamespace(namespace).withName(d.getMetadata().getName())
                    .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), status);
        } catch (Exception e) {
            System.err.println("SimulatorKubelet: " + backend + ": " + e);
        }
    }

    private boolean healthy(int port) {
        try {
            var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        watch.close();
        running.values().forEach(Process::destroy);
        for (Process p : running.values()) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        running.clear();
    }
}
