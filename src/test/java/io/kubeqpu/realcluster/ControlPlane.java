package io.kubeqpu.realcluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real Kubernetes control plane on loopback, from the binaries {@code hack/kube-binaries.sh} builds: etcd,
 * kube-apiserver (RBAC and Node authorization, ServiceAccount token signing so the TokenRequest API works, the
 * admission plugins a real cluster runs plus OwnerReferencesPermissionEnforcement) and kube-controller-manager
 * (garbage collector, namespace lifecycle, default ServiceAccounts). No kubelet and no scheduler: pods never run
 * ({@link SimulatorKubelet} stands in for the simulator pods). One per test JVM; stopped by a shutdown hook.
 */
public final class ControlPlane implements AutoCloseable {
    private static ControlPlane shared;
    private static String unavailable;

    public final Path bin;
    public Path dir;
    public Path adminKubeconfig;
    public String server;
    public KubernetesClient admin;
    private final List<Process> processes = new ArrayList<>();

    /** The JVM's control plane, started on first use; null (with {@link #unavailable()} saying why) without binaries. */
    public static synchronized ControlPlane get() {
        if (shared != null || unavailable != null) return shared;
        Path bin = binDir();
        List<String> missing = new ArrayList<>();
        for (String b : List.of("etcd", "kube-apiserver", "kube-controller-manager", "kubectl", "helm")) {
            if (!Files.isExecutable(bin.resolve(b))) missing.add(b);
        }
        if (!missing.isEmpty()) {
            unavailable = "no " + String.join(", ", missing) + " in " + bin
                    + ": run hack/kube-binaries.sh (needs Go) to build the real control plane";
            return null;
        }
        try {
            shared = new ControlPlane(bin);
        } catch (Exception e) {
            throw new IllegalStateException("the real control plane did not start: " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        return shared;
    }

    public static String unavailable() {
        return unavailable;
    }

    /** $REALCLUSTER_BIN, -Drealcluster.bin, or where hack/kube-binaries.sh puts them. */
    static Path binDir() {
        String s = System.getProperty("realcluster.bin", System.getenv("REALCLUSTER_BIN"));
        if (s != null && !s.isBlank()) return Path.of(s);
        try {
            Process p = new ProcessBuilder("bash", "hack/kube-binaries.sh", "--print-dir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return Path.of(out.lines().reduce((a, b) -> b).orElse(out));
        } catch (Exception e) {
            return Path.of(System.getProperty("user.home"), ".cache/kubeqpu/k8s-v1.37.2/bin");
        }
    }

    private ControlPlane(Path bin) throws Exception {
        this.bin = bin;
        try {
            start();
        } catch (Exception | Error e) {
            close(); // what did start (etcd, say) must not outlive a failed start
            throw e;
        }
    }

    private void start() throws Exception {
        Instant t0 = Instant.now();
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "realcluster-");
        int etcdPort = freePort(), peerPort = freePort(), apiPort = freePort(), kcmPort = freePort();
        server = "https://127.0.0.1:" + apiPort;

        // A static admin token (system:masters) for the test itself, kube-controller-manager, kubectl and helm; the
        // operator never uses it: it gets a ServiceAccount token from the TokenRequest API.
        String adminToken = UUID.randomUUID().toString();
        Files.writeString(dir.resolve("tokens.csv"), adminToken + ",kubeqpu-test-admin,uid-admin,\"system:masters\"\n");
        adminKubeconfig = writeKubeconfig(dir.resolve("admin.kubeconfig"), server, adminToken, "default");
        // The ServiceAccount token signing key pair.
        run(List.of("openssl", "genrsa", "-out", dir.resolve("sa.key").toString(), "2048"));
        run(List.of("openssl", "rsa", "-in", dir.resolve("sa.key").toString(), "-pubout", "-out", dir.resolve("sa.pub").toString()));

        start("etcd", List.of(bin.resolve("etcd").toString(), "--name=default", "--data-dir=" + dir.resolve("etcd"),
                "--listen-client-urls=http://127.0.0.1:" + etcdPort, "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
                "--listen-peer-urls=http://127.0.0.1:" + peerPort, "--initial-advertise-peer-urls=http://127.0.0.1:" + peerPort,
                "--initial-cluster=default=http://127.0.0.1:" + peerPort, "--unsafe-no-fsync=true", "--log-level=warn"));
        start("kube-apiserver", List.of(bin.resolve("kube-apiserver").toString(),
                "--etcd-servers=http://127.0.0.1:" + etcdPort,
                "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=" + apiPort,
                "--cert-dir=" + dir.resolve("apiserver-certs"),
                "--token-auth-file=" + dir.resolve("tokens.csv"),
                "--authorization-mode=Node,RBAC",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + dir.resolve("sa.pub"),
                "--service-account-signing-key-file=" + dir.resolve("sa.key"),
                "--service-cluster-ip-range=10.96.0.0/16",
                // kube-apiserver's default plugins plus what kubeadm-style clusters add; OwnerReferencesPermission
                // Enforcement makes blockOwnerDeletion need the owner's finalizers update right (an RBAC check).
                "--enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,DefaultStorageClass,"
                        + "DefaultTolerationSeconds,MutatingAdmissionWebhook,ValidatingAdmissionWebhook,ResourceQuota,"
                        + "NodeRestriction,OwnerReferencesPermissionEnforcement",
                // The kubernetes Service's endpoints would point at a loopback address, which the reconciler refuses.
                "--endpoint-reconciler-type=none",
                "--allow-privileged=true", "--v=0"));
        admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(adminKubeconfig))).build();
        waitReady("kube-apiserver", () -> "ok".equals(admin.raw("/readyz")));
        start("kube-controller-manager", List.of(bin.resolve("kube-controller-manager").toString(),
                "--kubeconfig=" + adminKubeconfig, "--authentication-kubeconfig=" + adminKubeconfig,
                "--authorization-kubeconfig=" + adminKubeconfig,
                "--bind-address=127.0.0.1", "--secure-port=" + kcmPort, "--cert-dir=" + dir.resolve("kcm-certs"),
                "--leader-elect=false",
                // Deployments and ReplicaSets are left alone: there is no scheduler or kubelet, and SimulatorKubelet
                // reports the simulator Deployments' readiness instead.
                "--controllers=garbage-collector-controller,namespace-controller,serviceaccount-controller",
                "--v=0"));
        waitReady("default ServiceAccount (kube-controller-manager)",
                () -> admin.serviceAccounts().inNamespace("default").withName("default").get() != null);
        System.out.printf("realcluster: etcd + kube-apiserver + kube-controller-manager (%s) up at %s in %.1f s (%s)%n",
                version(), server, Duration.between(t0, Instant.now()).toMillis() / 1000.0, dir);
    }

    String version() {
        try {
            return admin.getKubernetesVersion().getGitVersion();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    static Path writeKubeconfig(Path file, String server, String token, String namespace) throws IOException {
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: realcluster
                  cluster: {server: "%s", insecure-skip-tls-verify: true}
                users:
                - name: user
                  user: {token: "%s"}
                contexts:
                - name: realcluster
                  context: {cluster: realcluster, user: user, namespace: "%s"}
                current-context: realcluster
                """.formatted(server, token, namespace));
        return file;
    }

    private void start(String name, List<String> command) throws IOException {
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        try {
            if (p.waitFor(300, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " exited at once (" + p.exitValue() + "): " + tail(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void waitReady(String what, java.util.function.BooleanSupplier ready) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive()) throw new IllegalStateException("a control plane process died: " + logs());
            }
            try {
                if (ready.getAsBoolean()) return;
            } catch (RuntimeException e) {
                last = e;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(what + " not ready in 90 s" + (last == null ? "" : ": " + last) + "\n" + logs());
    }

    private String logs() {
        StringBuilder sb = new StringBuilder();
        for (String n : List.of("etcd", "kube-apiserver", "kube-controller-manager")) {
            Path f = dir.resolve(n + ".log");
            if (Files.exists(f)) sb.append("--- ").append(n).append('\n').append(tail(f));
        }
        return sb.toString();
    }

    static String tail(Path f) {
        try {
            List<String> lines = Files.readAllLines(f);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())) + "\n";
        } catch (IOException e) {
            return "(no log: " + e + ")\n";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", command) + ": " + out);
    }

    /** Runs a binary of the control plane's bin directory (kubectl, helm) as the admin. */
    public Cli.Result cli(String binary, List<String> args, Map<String, String> env) {
        return Cli.run(bin.resolve(binary), args, adminKubeconfig, dir, env);
    }

    public Cli.Result kubectl(String... args) {
        return cli("kubectl", List.of(args), Map.of());
    }

    /** kubectl with {@code stdin} as its standard input ({@code apply -f -}). */
    public Cli.Result kubectlIn(String stdin, String... args) {
        return Cli.run(bin.resolve("kubectl"), List.of(args), adminKubeconfig, dir, Map.of(), stdin);
    }

    public Cli.Result helm(String... args) {
        return cli("helm", List.of(args), Map.of());
    }

    @Override
    public synchronized void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        processes.clear();
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
