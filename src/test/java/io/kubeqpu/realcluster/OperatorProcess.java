package io.kubeqpu.realcluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator as its own process: the packaged jar ({@code target/quarkus-app/quarkus-run.jar}) with the
 * arguments and environment of the chart's Deployment, a kubeconfig holding a ServiceAccount token from the
 * TokenRequest API (so the API server enforces the chart's RBAC), and {@code KUBEQPU_SIMULATOR_URLS} pointing at
 * {@link SimulatorKubelet}'s simulator processes. {@link #kill()} is {@code kill -9}.
 */
public final class OperatorProcess implements AutoCloseable {
    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    public final String name;
    public final int httpPort;
    public final Path log;
    private final Process process;

    private OperatorProcess(String name, int httpPort, Path log, Process process) {
        this.name = name;
        this.httpPort = httpPort;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts an operator.
     * @param install the chart's (or kustomize's) operator Deployment as installed: its args, env, ServiceAccount
     * @param podName what the downward API would give as the pod's name (the leader-election identity)
     */
    public static OperatorProcess start(ControlPlane cp, Install install, String podName, SimulatorKubelet kubelet,
                                        Map<String, String> extraEnv) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the realcluster tests run the packaged operator (./mvnw verify)");
        }
        Path kubeconfig = ControlPlane.writeKubeconfig(cp.dir.resolve(podName + ".kubeconfig"), cp.server,
                install.token(cp), install.namespace());
        int port = ControlPlane.freePort();
        Map<String, String> env = new LinkedHashMap<>(install.env(podName));
        env.put("HOSTNAME", podName); // a pod's hostname is its name: the leader-election identity
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        if (kubelet != null) env.put("KUBEQPU_SIMULATOR_URLS", kubelet.urls());
        env.putAll(extraEnv);
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx512m", "-XX:+UseSerialGC", "-jar", JAR.toString()));
        command.addAll(install.args());
        Path log = cp.dir.resolve("operator-" + podName + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("KUBE") || k.startsWith("QUARKUS_"));
        pb.environment().putAll(env);
        return new OperatorProcess(podName, port, log, pb.start());
    }

    /** Waits until {@code /q/health/ready} answers 200 (restore done). */
    public OperatorProcess awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("operator " + name + " exited: " + ControlPlane.tail(log));
            if (status("/q/health/ready") == 200) return this;
            Thread.sleep(200);
        }
        throw new IllegalStateException("operator " + name + " not ready in " + timeout + ": " + ControlPlane.tail(log));
    }

    public int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** kill -9: no shutdown hook, no last status write. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public String logTail() {
        return ControlPlane.tail(log);
    }

    /** Lines of its log that say an API call was refused (RBAC: 403 Forbidden). */
    public List<String> forbidden() {
        try {
            return Files.readAllLines(log).stream().filter(l -> l.contains("Forbidden") || l.contains("forbidden")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
