package io.kubeqpu.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Comparator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * config/ (kustomize, for {@code kubectl apply -k config/default} and GitOps) installs what the chart installs:
 * the same CRDs, the same RBAC rules, the same operator container. The file-level checks always run; the
 * {@code kubectl kustomize} rendering runs where kubectl is on the PATH (it bundles kustomize, no cluster needed).
 */
class KustomizeConfigTest {
    static final Path CONFIG = Path.of("config");

    @Test
    void everyKustomizationListsResourcesThatExist() throws IOException {
        List<Path> kustomizations;
        try (Stream<Path> files = Files.walk(CONFIG)) {
            kustomizations = files.filter(p -> p.getFileName().toString().matches("kustomization\\.yaml|Kustomization")).toList();
        }
        assertThat(kustomizations).extracting(p -> CONFIG.relativize(p.getParent()).toString())
                .contains("default", "crd", "rbac", "manager", "samples");
        for (Path k : kustomizations) {
            GenericKubernetesResource kz = RenderedChart.SERIALIZATION.unmarshal(Files.readString(k), GenericKubernetesResource.class);
            List<String> resources = kz.get("resources");
            assertThat(resources).as(k.toString()).isNotEmpty();
            for (String r : resources) {
                Path target = k.getParent().resolve(r).normalize();
                boolean ok = Files.isRegularFile(target) || Files.isRegularFile(target.resolve("kustomization.yaml"));
                assertThat(ok).as(k + " lists " + r).isTrue();
            }
        }
    }

    @Test
    void theKustomizeRbacGrantsWhatTheChartGrants() throws IOException {
        ClusterRole role = read("rbac/role.yaml", ClusterRole.class);
        assertThat(ApiAccess.expand(role.getRules())).isEqualTo(ApiAccess.expand(RenderedChart.withDefaults().clusterRules()));
        Role lease = read("rbac/leader_election_role.yaml", Role.class);
        Role chartLease = RenderedChart.with(Map.of("leaderElection.enabled", true)).all(Role.class).stream()
                .filter(r -> r.getMetadata().getName().endsWith("-leader-election")).findFirst().orElseThrow();
        assertThat(ApiAccess.expand(lease.getRules())).isEqualTo(ApiAccess.expand(chartLease.getRules()));
        Role simulators = read("rbac/simulator_role.yaml", Role.class);
        Role chartSimulators = RenderedChart.withDefaults().all(Role.class).stream()
                .filter(r -> r.getMetadata().getName().endsWith("-simulators")).findFirst().orElseThrow();
        assertThat(ApiAccess.expand(simulators.getRules())).isEqualTo(ApiAccess.expand(chartSimulators.getRules()));
    }

    @Test
    void kubectlKustomizeRendersTheSameInstallAsTheChart() throws Exception {
        List<HasMetadata> objects = RenderedChart.parse(kustomize("config/default"));
        RenderedChart chart = RenderedChart.withDefaults();

        for (HasMetadata o : objects) {
            boolean clusterScoped = o instanceof CustomResourceDefinition || o instanceof Namespace
                    || o.getKind().startsWith("Cluster");
            assertThat(o.getMetadata().getNamespace()).as(o.getKind() + " " + o.getMetadata().getName())
                    .isEqualTo(clusterScoped ? null : "kubeqpu-system");
        }
        // CRDs: the generated ones (kustomize only adds labels).
        List<CustomResourceDefinition> crds = of(objects, CustomResourceDefinition.class);
        assertThat(crds).hasSize(5);
        for (CustomResourceDefinition crd : crds) {
            CustomResourceDefinition generated = RenderedChart.SERIALIZATION.unmarshal(
                    Files.readString(Path.of("crds", crd.getMetadata().getName() + "-v1.yml")), CustomResourceDefinition.class);
            // kustomize re-emits numbers (1.0 -> 1): compare as JSON with numbers compared by value.
            JsonNode rendered = RenderedChart.SERIALIZATION.convertValue(crd.getSpec(), JsonNode.class);
            JsonNode expected = RenderedChart.SERIALIZATION.convertValue(generated.getSpec(), JsonNode.class);
            assertThat(rendered.equals(NUMBERS_BY_VALUE, expected)).as(crd.getMetadata().getName()).isTrue();
        }
        // RBAC: same rules, bound to the Deployment's ServiceAccount.
        ClusterRole operatorRole = of(objects, ClusterRole.class).stream().filter(r -> r.getMetadata().getName().equals("kubeqpu"))
                .findFirst().orElseThrow();
        assertThat(ApiAccess.expand(operatorRole.getRules())).isEqualTo(ApiAccess.expand(chart.clusterRules()));
        // The tenants' aggregated roles: the same names and rules as the chart's.
        for (String name : List.of("kubeqpu-view", "kubeqpu-edit")) {
            ClusterRole k = of(objects, ClusterRole.class).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst().orElseThrow();
            ClusterRole c = chart.all(ClusterRole.class).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst().orElseThrow();
            assertThat(ApiAccess.expand(k.getRules())).as(name).isEqualTo(ApiAccess.expand(c.getRules()));
            assertThat(k.getMetadata().getLabels()).as(name).containsAllEntriesOf(c.getMetadata().getLabels().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("rbac.authorization.k8s.io/"))
                    .collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue)));
        }
        Deployment d = one(objects, Deployment.class);
        String sa = d.getSpec().getTemplate().getSpec().getServiceAccountName();
        assertThat(one(objects, ServiceAccount.class).getMetadata().getName()).isEqualTo(sa);
        assertThat(one(objects, ClusterRoleBinding.class).getSubjects()).singleElement()
                .satisfies(s -> assertThat(s.getName() + "/" + s.getNamespace()).isEqualTo(sa + "/kubeqpu-system"));
        // The operator container: same role, settings, probes, security and /tmp as the chart's.
        Container kc = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        Container hc = chart.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(kc.getArgs()).isEqualTo(hc.getArgs());
        assertThat(kc.getEnv()).extracting(EnvVar::getName).containsExactlyElementsOf(hc.getEnv().stream().map(EnvVar::getName).toList());
        assertThat(kc.getEnv()).isEqualTo(hc.getEnv());
        assertThat(kc.getSecurityContext()).isEqualTo(hc.getSecurityContext());
        assertThat(kc.getLivenessProbe()).isEqualTo(hc.getLivenessProbe());
        assertThat(kc.getReadinessProbe()).isEqualTo(hc.getReadinessProbe());
        assertThat(kc.getVolumeMounts()).isEqualTo(hc.getVolumeMounts());
        assertThat(kc.getImage()).isEqualTo(hc.getImage());
        assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext())
                .isEqualTo(chart.one(Deployment.class).getSpec().getTemplate().getSpec().getSecurityContext());
        // Simulator pods: reachable by the operator's pods only.
        NetworkPolicy np = one(objects, NetworkPolicy.class);
        assertThat(np.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "simulator");
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(np.getSpec().getIngress().get(0).getFrom().get(0).getPodSelector().getMatchLabels());
    }

    static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> a.equals(b) ? 0
            : a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;

    static String kustomize(String dir) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("kubectl", "kustomize", dir).redirectErrorStream(false).start();
        } catch (IOException noKubectl) {
            assumeTrue(false, "kubectl is not on the PATH: skipping the kustomize rendering (" + noKubectl.getMessage() + ")");
            throw noKubectl;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        return out;
    }

    static <T> T read(String file, Class<T> type) throws IOException {
        return RenderedChart.SERIALIZATION.unmarshal(Files.readString(CONFIG.resolve(file)), type);
    }

    static <T> List<T> of(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T> T one(List<HasMetadata> objects, Class<T> type) {
        List<T> found = of(objects, type);
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }
}
