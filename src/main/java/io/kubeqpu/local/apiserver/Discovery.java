package io.kubeqpu.local.apiserver;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.ServerAddressByClientCIDR;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The legacy discovery documents kubectl reads to map a name ({@code qjob}, {@code quantum}, {@code cm}) to a path:
 * {@code /api}, {@code /apis}, {@code /apis/<group>}, {@code /api/v1} and {@code /apis/<group>/<version>}. The
 * aggregated form (apidiscovery.k8s.io/v2) is not served: kubectl asks for it first, gets plain JSON and falls back to
 * these, as it does with older servers.
 */
final class Discovery {
    private final CrdRegistry crds;
    private final String serverAddress;

    Discovery(CrdRegistry crds, String serverAddress) {
        this.crds = crds;
        this.serverAddress = serverAddress;
    }

    /** The document for {@code path}, or empty when the path is not a discovery path. */
    Optional<Object> document(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        if (p.equals("/api")) {
            return Optional.of(new APIVersionsBuilder().withVersions("v1")
                    .withServerAddressByClientCIDRs(new ServerAddressByClientCIDR("0.0.0.0/0", serverAddress)).build());
        }
        if (p.equals("/apis")) {
            return Optional.of(new APIGroupListBuilder().withGroups(new ArrayList<>(groups().values())).build());
        }
        if (p.equals("/api/v1")) {
            return Optional.of(resourceList("", "v1"));
        }
        String[] s = p.split("/");
        if (s.length == 3 && s[1].equals("apis")) {
            return Optional.ofNullable(groups().get(s[2]));
        }
        if (s.length == 4 && s[1].equals("apis")) {
            APIGroup group = groups().get(s[2]);
            boolean served = group != null && group.getVersions().stream().anyMatch(v -> v.getVersion().equals(s[3]));
            return served ? Optional.of(resourceList(s[2], s[3])) : Optional.empty();
        }
        return Optional.empty();
    }

    private Map<String, APIGroup> groups() {
        Map<String, List<String>> versions = new LinkedHashMap<>();
        for (BuiltinResources.Builtin b : BuiltinResources.ALL) {
            if (!b.group().isEmpty()) {
                addVersion(versions, b.group(), b.version());
            }
        }
        for (CustomResourceDefinition crd : crds.all()) {
            for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
                if (Boolean.TRUE.equals(v.getServed())) {
                    addVersion(versions, crd.getSpec().getGroup(), v.getName());
                }
            }
        }
        Map<String, APIGroup> groups = new LinkedHashMap<>();
        versions.forEach((group, vs) -> {
            List<GroupVersionForDiscovery> gvs = vs.stream()
                    .map(v -> new GroupVersionForDiscovery(group + "/" + v, v)).toList();
            groups.put(group, new APIGroupBuilder().withName(group).withVersions(gvs)
                    .withPreferredVersion(gvs.get(0)).build());
        });
        return groups;
    }

    private static void addVersion(Map<String, List<String>> versions, String group, String version) {
        List<String> vs = versions.computeIfAbsent(group, g -> new ArrayList<>());
        if (!vs.contains(version)) {
            vs.add(version);
        }
    }

    private Object resourceList(String group, String version) {
        List<APIResource> resources = new ArrayList<>();
        for (BuiltinResources.Builtin b : BuiltinResources.ALL) {
            if (b.group().equals(group) && b.version().equals(version)) {
                resources.add(new APIResourceBuilder().withName(b.plural()).withSingularName(b.singular())
                        .withKind(b.kind()).withNamespaced(b.namespaced()).withVerbs(BuiltinResources.VERBS)
                        .withShortNames(b.shortNames().isEmpty() ? null : b.shortNames()).build());
                if (b.statusSubresource()) {
                    resources.add(statusResource(b.plural(), b.kind(), b.namespaced()));
                }
            }
        }
        for (CustomResourceDefinition crd : crds.all()) {
            if (!crd.getSpec().getGroup().equals(group)) {
                continue;
            }
            Optional<CustomResourceDefinitionVersion> v = CrdRegistry.version(crd, version);
            if (v.isEmpty()) {
                continue;
            }
            var names = crd.getSpec().getNames();
            boolean namespaced = "Namespaced".equals(crd.getSpec().getScope());
            resources.add(new APIResourceBuilder().withName(names.getPlural()).withSingularName(names.getSingular())
                    .withKind(names.getKind()).withNamespaced(namespaced).withVerbs(BuiltinResources.VERBS)
                    .withShortNames(names.getShortNames()).withCategories(names.getCategories()).build());
            if (CrdRegistry.hasStatusSubresource(v.get())) {
                resources.add(statusResource(names.getPlural(), names.getKind(), namespaced));
            }
        }
        return new APIResourceListBuilder().withGroupVersion(group.isEmpty() ? version : group + "/" + version)
                .withResources(resources).build();
    }

    private static APIResource statusResource(String plural, String kind, boolean namespaced) {
        return new APIResourceBuilder().withName(plural + "/status").withSingularName("").withKind(kind)
                .withNamespaced(namespaced).withVerbs("get", "patch", "update").build();
    }
}
