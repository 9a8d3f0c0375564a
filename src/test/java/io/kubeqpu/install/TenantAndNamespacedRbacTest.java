package io.kubeqpu.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Tenants get our kinds through the aggregated view/edit/admin ClusterRoles; with watchNamespaces the operator's
 * namespaced access is a Role per namespace, and nothing namespaced is left cluster wide.
 */
class TenantAndNamespacedRbacTest {

    static ClusterRole named(RenderedChart chart, String name) {
        return chart.all(ClusterRole.class).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aNamespaceEditorCanRunJobsBatchesAndSessionsButNeverWriteStatusesInstancesOrBackends() {
        RenderedChart chart = RenderedChart.withDefaults();
        ClusterRole view = named(chart, "kubeqpu-view");
        ClusterRole edit = named(chart, "kubeqpu-edit");
        assertThat(view.getMetadata().getLabels()).containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true")
                .containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true")
                .containsEntry("rbac.authorization.k8s.io/aggregate-to-admin", "true");
        assertThat(edit.getMetadata().getLabels()).containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true")
                .containsEntry("rbac.authorization.k8s.io/aggregate-to-admin", "true")
                .doesNotContainKey("rbac.authorization.k8s.io/aggregate-to-view");
        List<PolicyRule> editor = new ArrayList<>(view.getRules());
        editor.addAll(edit.getRules());
        for (String kind : List.of("quantumjobs", "quantumbatches", "quantumsessions"))
            for (String verb : List.of("create", "get", "list", "watch", "update", "patch", "delete"))
                assertThat(new ApiAccess("quantum.kubeqpu.io", kind, verb).grantedBy(editor)).as(verb + " " + kind).isTrue();
        for (ApiAccess a : ApiAccess.expand(editor)) {
            assertThat(a.resource()).as("tenants never touch statuses").doesNotContain("/status");
            if (a.resource().equals("quantuminstances") || a.resource().equals("quantumbackends"))
                assertThat(a.verb()).as("instances and backends are read-only for tenants").isIn("get", "list", "watch");
        }
        assertThat(ApiAccess.wildcards(editor)).isEmpty();
        assertThat(RenderedChart.with(Map.of("rbac.aggregateToDefaultRoles", false)).all(ClusterRole.class)).hasSize(1);
    }

    @Test
    void withWatchNamespacesTheOperatorGetsARolePerNamespaceAndNoClusterWideConfigMaps() {
        RenderedChart chart = RenderedChart.with(Map.of("operator.watchNamespaces[0]", "team-a", "operator.watchNamespaces[1]", "team-b"));
        List<PolicyRule> cluster = chart.clusterRules();
        for (ApiAccess a : ApiAccess.expand(cluster))
            assertThat(a.resource()).as("cluster wide: only the cluster-scoped QuantumBackend").startsWith("quantumbackends");
        Set<String> roleNamespaces = new TreeSet<>();
        for (Role r : chart.all(Role.class)) if (r.getMetadata().getName().equals("kubeqpu")) {
            roleNamespaces.add(r.getMetadata().getNamespace());
            // Every call the operator makes is granted by the ClusterRole plus this namespace's Role.
            List<PolicyRule> effective = new ArrayList<>(cluster);
            effective.addAll(r.getRules());
            Set<ApiAccess> missing = new TreeSet<>();
            for (ApiAccess a : OperatorApiCalls.observe()) if (!a.grantedBy(effective)) missing.add(a);
            assertThat(missing).as("calls not granted in " + r.getMetadata().getNamespace()).isEmpty();
        }
        assertThat(roleNamespaces).containsExactly("team-a", "team-b");
        // The ledger (what a restart restores instead of trusting statuses) is in the operator's own namespace.
        Role ledger = chart.all(Role.class).stream().filter(r -> r.getMetadata().getName().equals("kubeqpu-ledger")).findFirst()
                .orElseThrow(() -> new AssertionError("no ledger Role in the release namespace"));
        assertThat(ledger.getMetadata().getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
        List<PolicyRule> withLedger = new ArrayList<>(cluster);
        withLedger.addAll(ledger.getRules());
        for (String verb : List.of("get", "create", "update"))
            assertThat(new ApiAccess("", "configmaps", verb).grantedBy(withLedger)).as(verb + " configmaps in the release namespace").isTrue();
        assertThat(ApiAccess.expand(ledger.getRules())).extracting(ApiAccess::resource).containsOnly("configmaps");
        assertThat(RenderedChart.withDefaults().all(Role.class)).extracting(r -> r.getMetadata().getName())
                .as("all namespaces: the ClusterRole already covers it").doesNotContain("kubeqpu-ledger");
        assertThat(chart.all(RoleBinding.class)).extracting(b -> b.getMetadata().getNamespace() + "/" + b.getRoleRef().getName())
                .contains("team-a/kubeqpu", "team-b/kubeqpu", "default/kubeqpu-backend-events");
        assertThat(chart.one(io.fabric8.kubernetes.api.model.apps.Deployment.class).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv()).anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("KUBEQPU_WATCH_NAMESPACES");
                    assertThat(e.getValue()).isEqualTo("team-a,team-b");
                });
    }
}
