package io.kubeqpu.local;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubeqpu.local.apiserver.EmbeddedApiServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An in-process Kubernetes API server: the Fabric8 mock server in CRUD mode, on loopback, with kubeqpu's CRDs
 * installed. A test and demo harness, not an API server: see docs/embedded.md for what it does not do.
 */
public final class LocalCluster implements AutoCloseable {
    /** The CRDs packaged from crds/ (see the pom's resources). */
    static final List<String> CRD_FILES = List.of("quantumbackends", "quantuminstances", "quantumjobs", "quantumbatches",
            "quantumsessions");

    private final KubernetesMockServer server;

    private LocalCluster(KubernetesMockServer server) {
        this.server = server;
    }

    public static LocalCluster start(int port) {
        // The Fabric8 mock's CRUD store behind kubectl-facing API machinery and CRD validation (docs/embedded.md).
        KubernetesMockServer server = EmbeddedApiServer.create();
        server.init(InetAddress.getLoopbackAddress(), port);
        LocalCluster cluster = new LocalCluster(server);
        try (KubernetesClient client = server.createClient()) {
            installCrds(client);
        }
        return cluster;
    }

    public static void installCrds(KubernetesClient client) {
        for (String name : CRD_FILES) {
            String path = "crds/" + name + ".quantum.kubeqpu.io-v1.yml";
            try (InputStream in = LocalCluster.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) throw new IllegalStateException(path + " is not on the classpath");
                CustomResourceDefinition crd = client.getKubernetesSerialization()
                        .unmarshal(new String(in.readAllBytes(), StandardCharsets.UTF_8), CustomResourceDefinition.class);
                client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(c -> c.update());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public String url() {
        return "http://" + server.getHostName() + ":" + server.getPort();
    }

    public int port() {
        return server.getPort();
    }

    /** Points the Quarkus Kubernetes client (and so the operator) at this server. */
    public void configureQuarkus() {
        // Fabric8's own settings, which the Quarkus client starts from: the quarkus.kubernetes-client.* properties are
        // fixed at build time, and setting them here only printed "Build time property cannot be changed" warnings.
        System.setProperty("kubernetes.master", url());
        System.setProperty("kubernetes.namespace", "default");
        System.setProperty("kubernetes.trust.certificates", "true");
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        // Quarkus HTTP (/q/health, /q/metrics) on a free loopback port, so its start line names where it listens
        // (with the HTTP host disabled it printed an empty "Listening on:").
        System.setProperty("quarkus.http.host", "127.0.0.1");
        System.setProperty("quarkus.http.port", "0");
    }

    /** A kubeconfig for this server, so that kubectl (or any client) can talk to it. */
    public Path writeKubeconfig(Path file) throws IOException {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: kubeqpu-local
                  cluster:
                    server: %s
                contexts:
                - name: kubeqpu-local
                  context:
                    cluster: kubeqpu-local
                    namespace: default
                    user: kubeqpu-local
                current-context: kubeqpu-local
                users:
                - name: kubeqpu-local
                  user:
                    token: local
                """.formatted(url());
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, yaml);
        return file;
    }

    public KubernetesClient client() {
        return server.createClient();
    }

    @Override
    public void close() {
        server.destroy();
    }
}
