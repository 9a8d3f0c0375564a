package io.kubeqpu.install;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code helm template} of helm/kubeqpu (through helm-java: no binary needed), parsed into Fabric8 objects. */
final class RenderedChart {
    static final Path CHART = Path.of("helm", "kubeqpu");
    static final String RELEASE = "kubeqpu";
    static final String NAMESPACE = "kubeqpu-system";
    /** helm template defaults to v1.20 without a cluster; the chart needs >= 1.25 (restricted pod security, CEL). */
    static final String KUBE_VERSION = "1.31.0";
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    final String yaml;
    final List<HasMetadata> objects;

    private RenderedChart(String yaml) {
        this.yaml = yaml;
        this.objects = parse(yaml);
    }

    static RenderedChart withDefaults() {
        return with(Map.of());
    }

    /** Renders with {@code --set key=value} for each entry. */
    static RenderedChart with(Map<String, Object> sets) {
        TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        new LinkedHashMap<>(sets).forEach(template::set);
        return new RenderedChart(template.call());
    }

    static List<HasMetadata> parse(String multiDocumentYaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : multiDocumentYaml.split("(?m)^---\\s*$")) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) continue;
            out.add(SERIALIZATION.unmarshal(doc, HasMetadata.class));
        }
        return out;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
        return found.get(0);
    }

    Optional<GenericKubernetesResource> generic(String kind) {
        return objects.stream().filter(o -> o instanceof GenericKubernetesResource && kind.equals(o.getKind()))
                .map(GenericKubernetesResource.class::cast).findFirst();
    }

    /** The operator's own ClusterRole (the chart also renders the tenants' aggregated view/edit ClusterRoles). */
    List<PolicyRule> clusterRules() {
        return all(ClusterRole.class).stream().filter(r -> r.getMetadata().getName().equals(RELEASE)).findFirst()
                .orElseThrow().getRules();
    }
}
