package io.kubeqpu.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.controller.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Installing like an admin: {@code helm install} of helm/kubeqpu with the real helm, the operator run with that
 * Deployment's ServiceAccount, env and args until a job completes, {@code helm uninstall}; then
 * {@code kubectl apply -k config/default} into a second namespace, the same, {@code kubectl delete -k}. Nothing of
 * either install is left behind.
 */
@RealCluster
class InstallIT {
    final ControlPlane cp = ControlPlane.get();

    @Test
    void helmInstallRunsAJobAndHelmUninstallLeavesNothingBehind() throws Exception {
        String release = "kq-helm";
        String ns = release + "-system";
        Install install = Install.helm(cp, release, ns);
        assertThat(cp.helm("status", release, "-n", ns).ok().stdout()).contains("STATUS: deployed");
        runAJob(install, "rc-helm", "helm-work");

        cp.helm("uninstall", release, "-n", ns, "--wait").ok();
        List<String> left = new ArrayList<>(leftovers(ns, "app.kubernetes.io/instance=" + release));
        // The one thing helm cannot remove: the leader-election Lease, which the operator (not the chart) created at
        // run time (docs/install.md says to delete it, or the namespace).
        assertThat(left.remove("Lease " + ns + "/" + install.env("x").get("KUBEQPU_LEADER_ELECTION_LEASE_NAME"))).isTrue();
        // And its ledger (usage and deadline anchors that outlive a restart, docs/install.md): operator state, made at
        // run time in the release namespace, like the Lease.
        for (int s = 0; s < 4; s++) assertThat(left.remove("ConfigMap " + ns + "/kubeqpu-ledger-" + s)).as("ledger shard " + s).isTrue();
        assertThat(left).as("objects of the release left after helm uninstall").isEmpty();
        // Helm keeps its crds/ on uninstall by design (docs/install.md); they are still the ones from crds/.
        assertThat(cp.admin.apiextensions().v1().customResourceDefinitions().withName("quantumjobs.quantum.kubeqpu.io").get())
                .isNotNull();
    }

    @Test
    void kubectlApplyKustomizeRunsAJobAndDeleteLeavesNothingBehind() throws Exception {
        String ns = "kq-kustomize-system";
        // An overlay that only moves config/default into a second namespace.
        Path overlay = cp.dir.resolve("kustomize-overlay");
        Files.createDirectories(overlay);
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: %s
                resources:
                  - %s
                """.formatted(ns, overlay.relativize(Path.of("config/default").toAbsolutePath())));
        cp.kubectl("apply", "-k", overlay.toString()).ok();
        assertThat(cp.admin.namespaces().withName(ns).get()).as("the overlay's namespace").isNotNull();
        Install install = Install.of(cp, ns, "app.kubernetes.io/name=kubeqpu");
        runAJob(install, "rc-kustomize", "kustomize-work");

        cp.kubectl("delete", "-k", overlay.toString(), "--wait=true", "--timeout=120s").ok();
        await().atMost(Duration.ofSeconds(120)).until(() -> cp.admin.namespaces().withName(ns).get() == null);
        assertThat(leftovers(ns, "app.kubernetes.io/name=kubeqpu")).as("objects left after kubectl delete -k").isEmpty();
        await().atMost(Duration.ofSeconds(60)).until(() -> cp.admin.apiextensions().v1().customResourceDefinitions().list()
                .getItems().stream().noneMatch(c -> c.getSpec().getGroup().equals("quantum.kubeqpu.io")));
        // The CRDs went with config/default; the next test classes need them again.
        RealCluster.Extension.applyCrds(cp);
    }

    /** Starts the install's operator, runs one job on a new backend, deletes them (finalizers), stops the operator. */
    private void runAJob(Install install, String backend, String work) throws Exception {
        cp.kubectl("create", "namespace", work).ok();
        try (SimulatorKubelet kubelet = new SimulatorKubelet(cp, install.namespace(), OperatorProcess.JAR, List.of(backend));
             OperatorProcess op = OperatorProcess.start(cp, install, install.deployment().getMetadata().getName() + "-0",
                     kubelet, java.util.Map.of())) {
            op.awaitReady(Duration.ofSeconds(90));
            cp.kubectlIn(Manifests.backend(backend, 1, 0.001), "apply", "-f", "-").ok();
            cp.kubectlIn(Manifests.instance("research", "premium", true), "apply", "-n", work, "-f", "-").ok();
            cp.kubectlIn(Manifests.job("bell", backend, ""), "apply", "-n", work, "-f", "-").ok();
            cp.kubectl("wait", "-n", work, "qjob/bell", "--for=jsonpath={.status.phase}=Completed", "--timeout=90s").ok();
            assertThat(cp.admin.apps().deployments().inNamespace(install.namespace()).withName("kubeqpu-sim-" + backend).get())
                    .as("the backend's simulator Deployment, made by the operator with the install's RBAC").isNotNull();
            cp.kubectl("delete", "namespace", work, "--wait=true", "--timeout=90s").ok();
            cp.kubectl("delete", "qpu", backend, "--wait=true", "--timeout=90s").ok();
            // The garbage collector removes what the backend owned.
            await().atMost(Duration.ofSeconds(60)).until(() -> cp.admin.apps().deployments().inNamespace(install.namespace())
                    .withName("kubeqpu-sim-" + backend).get() == null
                    && cp.admin.services().inNamespace(install.namespace()).withName("kubeqpu-sim-" + backend).get() == null);
            assertThat(op.forbidden()).as("API calls the install's RBAC refused (operator log)").isEmpty();
        }
    }

    /** What is left of an install: namespaced objects in its namespace, cluster-scoped ones with its label. */
    private List<String> leftovers(String ns, String selector) {
        String[] kv = selector.split("=");
        List<HasMetadata> left = new ArrayList<>();
        if (cp.admin.namespaces().withName(ns).get() != null) {
            left.addAll(cp.admin.apps().deployments().inNamespace(ns).list().getItems());
            left.addAll(cp.admin.services().inNamespace(ns).list().getItems());
            left.addAll(cp.admin.serviceAccounts().inNamespace(ns).list().getItems().stream()
                    .filter(sa -> !sa.getMetadata().getName().equals("default")).toList());
            left.addAll(cp.admin.rbac().roles().inNamespace(ns).list().getItems());
            left.addAll(cp.admin.rbac().roleBindings().inNamespace(ns).list().getItems());
            left.addAll(cp.admin.network().networkPolicies().inNamespace(ns).list().getItems());
            left.addAll(cp.admin.configMaps().inNamespace(ns).list().getItems().stream()
                    .filter(c -> !c.getMetadata().getName().equals("kube-root-ca.crt")).toList());
            left.addAll(cp.admin.secrets().inNamespace(ns).list().getItems().stream()
                    .filter(s -> !s.getMetadata().getName().startsWith("sh.helm.release")).toList());
            left.addAll(cp.admin.leases().inNamespace(ns).list().getItems());
            left.addAll(cp.admin.v1().podTemplates().inNamespace(ns).list().getItems());
        }
        left.addAll(cp.admin.rbac().clusterRoles().withLabel(kv[0], kv[1]).list().getItems());
        left.addAll(cp.admin.rbac().clusterRoleBindings().withLabel(kv[0], kv[1]).list().getItems());
        return Stream.of(left).flatMap(List::stream)
                .map(o -> o.getKind() + " " + (o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace() + "/")
                        + o.getMetadata().getName()).toList();
    }
}
