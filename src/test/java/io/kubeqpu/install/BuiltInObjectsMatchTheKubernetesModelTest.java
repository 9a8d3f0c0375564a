package io.kubeqpu.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Offline schema check of every built-in object the chart renders: it parses into its Fabric8 model class (generated
 * from the Kubernetes OpenAPI) with no field the model does not know, so a misspelt or misplaced field
 * ({@code securityContex}, {@code readinessProbe} under the pod) fails here instead of at install time.
 */
class BuiltInObjectsMatchTheKubernetesModelTest {

    static List<Map<String, Object>> valueSets() {
        return List.of(Map.of(), Map.of("replicaCount", 2, "leaderElection.enabled", true, "metrics.serviceMonitor.enabled", true,
                "operator.watchNamespaces[0]", "a", "imagePullSecrets[0].name", "regcred", "tolerations[0].operator", "Exists"));
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void everyBuiltInObjectHasOnlyKnownFields(Map<String, Object> values) {
        RenderedChart chart = RenderedChart.with(values);
        List<String> unknown = new ArrayList<>();
        for (HasMetadata o : chart.objects) {
            if (o instanceof GenericKubernetesResource) {
                // Only the ServiceMonitor (a CRD of the Prometheus Operator) has no model class.
                assertThat(o.getKind()).isEqualTo("ServiceMonitor");
                continue;
            }
            walk(o, o.getKind() + "/" + o.getMetadata().getName(), unknown, new IdentityHashMap<>());
        }
        assertThat(unknown).as("fields unknown to the Kubernetes model").isEmpty();
        assertThat(chart.objects).extracting(HasMetadata::getKind).contains("Deployment", "ServiceAccount", "ClusterRole",
                "ClusterRoleBinding", "Service", "NetworkPolicy", "PodTemplate");
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void everyNamespacedObjectLandsInTheReleaseNamespace(Map<String, Object> values) {
        List<String> watched = values.containsKey("operator.watchNamespaces[0]") ? List.of(String.valueOf(values.get("operator.watchNamespaces[0]")), "default") : List.of();
        for (HasMetadata o : RenderedChart.with(values).objects) {
            boolean clusterScoped = o.getKind().startsWith("Cluster");
            // With watchNamespaces, the operator's Role and RoleBinding are in each watched namespace (and "default",
            // for the Events of cluster-scoped backends): those are the only objects outside the release namespace.
            boolean watchedRbac = (o.getKind().equals("Role") || o.getKind().equals("RoleBinding"))
                    && (o.getMetadata().getName().equals(RenderedChart.RELEASE) || o.getMetadata().getName().endsWith("-backend-events"));
            if (watchedRbac) {
                assertThat(watched).as(o.getKind() + " " + o.getMetadata().getName()).contains(o.getMetadata().getNamespace());
                continue;
            }
            assertThat(o.getMetadata().getNamespace()).as(o.getKind())
                    .isEqualTo(clusterScoped ? null : RenderedChart.NAMESPACE);
        }
    }

    /** Collects every non-empty {@code additionalProperties} map of Fabric8 model objects reachable from {@code o}. */
    static void walk(Object o, String path, List<String> unknown, IdentityHashMap<Object, Boolean> seen) {
        if (o == null || seen.put(o, true) != null) return;
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object x : c) walk(x, path + "[" + i++ + "]", unknown, seen);
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, unknown, seen));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) return;
        for (Method getter : o.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getDeclaringClass().getName().startsWith("io.fabric8.kubernetes.api.model")) continue;
            String name = getter.getName();
            if (!name.startsWith("get") && !name.startsWith("is")) continue;
            try {
                Object value = getter.invoke(o);
                if (name.equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) unknown.add(path + ": " + extra.keySet());
                } else {
                    walk(value, path + "." + name.replaceFirst("^(get|is)", ""), unknown, seen);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(path + "." + name, e);
            }
        }
    }
}
