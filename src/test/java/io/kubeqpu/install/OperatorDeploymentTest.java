package io.kubeqpu.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The operator Deployment: role, settings as environment, probes, replicas and leader election. */
class OperatorDeploymentTest {

    static Container operator(RenderedChart chart) {
        return chart.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static Map<String, String> env(Container c) {
        return c.getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    @Test
    void theContainerRunsTheOperatorRoleOfTheChosenImage() {
        Container c = operator(RenderedChart.with(Map.of("image.repository", "ghcr.io/acme/kubeqpu", "image.tag", "1.2.3",
                "image.pullPolicy", "Always")));
        assertThat(c.getArgs()).containsExactly("operator");
        assertThat(c.getImage()).isEqualTo("ghcr.io/acme/kubeqpu:1.2.3");
        assertThat(c.getImagePullPolicy()).isEqualTo("Always");
        assertThat(operator(RenderedChart.withDefaults()).getImage()).isEqualTo("kubeqpu:0.1.0-SNAPSHOT");
    }

    @Test
    void valuesBecomeTheOperatorsEnvironment() {
        Container c = operator(RenderedChart.with(Map.of("operator.defaultMaxTTL", "2h", "operator.defaultInteractiveTTL", "30s",
                "operator.logLevel", "DEBUG")));
        assertThat(env(c)).containsEntry("KUBEQPU_DEFAULT_MAX_TTL", "2h").containsEntry("KUBEQPU_DEFAULT_INTERACTIVE_TTL", "30s")
                .containsEntry("QUARKUS_LOG_LEVEL", "DEBUG");
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("KUBERNETES_NAMESPACE")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace"));
    }

    @Test
    void watchedNamespacesApplyToTheFourNamespacedControllersOnly() {
        assertThat(env(operator(RenderedChart.withDefaults())).keySet()).noneMatch(k -> k.endsWith("_NAMESPACES"));
        Map<String, String> env = env(operator(RenderedChart.with(Map.of("operator.watchNamespaces[0]", "team-a", "operator.watchNamespaces[1]", "team-b"))));
        assertThat(env.entrySet()).filteredOn(e -> e.getKey().endsWith("_NAMESPACES")).containsExactlyInAnyOrder(
                Map.entry("QUARKUS_OPERATOR_SDK_CONTROLLERS_QUANTUMINSTANCE_NAMESPACES", "team-a,team-b"),
                Map.entry("QUARKUS_OPERATOR_SDK_CONTROLLERS_QUANTUMJOB_NAMESPACES", "team-a,team-b"),
                Map.entry("QUARKUS_OPERATOR_SDK_CONTROLLERS_QUANTUMBATCH_NAMESPACES", "team-a,team-b"),
                Map.entry("QUARKUS_OPERATOR_SDK_CONTROLLERS_QUANTUMSESSION_NAMESPACES", "team-a,team-b"),
                Map.entry("KUBEQPU_WATCH_NAMESPACES", "team-a,team-b"));
    }

    @Test
    void probesUseTheQuarkusHealthEndpointsOnPort8080() {
        Container c = operator(RenderedChart.withDefaults());
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(c.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getContainerPort()).isEqualTo(8080);
            assertThat(p.getName()).isEqualTo("http");
        });
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).containsKey("memory");
    }

    @Test
    void withoutLeaderElectionOneReplicaIsReplacedNotRolledSoTwoOperatorsNeverOverlap() {
        Deployment d = RenderedChart.with(Map.of("leaderElection.enabled", false)).one(Deployment.class);
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    }

    @Test
    void twoReplicasNeedLeaderElection() {
        assertThat(RenderedChart.withDefaults().one(Deployment.class).getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThatThrownBy(() -> RenderedChart.with(Map.of("replicaCount", 2, "leaderElection.enabled", false)))
                .hasMessageContaining("replicaCount > 1 needs leaderElection.enabled=true");
        RenderedChart ha = RenderedChart.with(Map.of("replicaCount", 2, "leaderElection.enabled", true));
        Deployment d = ha.one(Deployment.class);
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(env(operator(ha))).containsEntry("KUBEQPU_LEADER_ELECTION_LEASE_NAME", "kubeqpu-operator-lease");
    }

    @Test
    void thePodRunsUnderTheChartsServiceAccount() {
        RenderedChart chart = RenderedChart.withDefaults();
        String sa = chart.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName();
        assertThat(chart.all(io.fabric8.kubernetes.api.model.ServiceAccount.class)).extracting(s -> s.getMetadata().getName())
                .containsExactly(sa);
        assertThat(chart.one(io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class).getSubjects()).singleElement()
                .satisfies(s -> {
                    assertThat(s.getName()).isEqualTo(sa);
                    assertThat(s.getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
                });
    }

    @Test
    void notesTellTheUserWhatToApplyNext() throws Exception {
        String notes = java.nio.file.Files.readString(RenderedChart.CHART.resolve("templates/NOTES.txt"));
        assertThat(notes).contains("kubectl apply -f config/samples/").contains("kubectl get qjob,qbatch,qsess -A");
    }
}
