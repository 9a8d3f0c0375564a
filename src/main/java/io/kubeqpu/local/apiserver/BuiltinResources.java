package io.kubeqpu.local.apiserver;

import java.util.List;

/**
 * The built-in kinds the embedded API server admits to serving: those the operator and kubectl touch (ConfigMaps
 * holding results, Events, Namespaces, Leases, Secrets, the CRDs themselves). They are stored without any
 * validation; this list only feeds discovery so that kubectl can map {@code kubectl get cm} to a path.
 */
final class BuiltinResources {
    static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update",
            "watch");

    record Builtin(String group, String version, String plural, String singular, String kind, boolean namespaced,
            List<String> shortNames, boolean statusSubresource) {
        String groupVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }
    }

    static final List<Builtin> ALL = List.of(
            new Builtin("", "v1", "namespaces", "namespace", "Namespace", false, List.of("ns"), true),
            new Builtin("", "v1", "configmaps", "configmap", "ConfigMap", true, List.of("cm"), false),
            new Builtin("", "v1", "events", "event", "Event", true, List.of("ev"), false),
            new Builtin("", "v1", "secrets", "secret", "Secret", true, List.of(), false),
            new Builtin("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, List.of("sa"), false),
            new Builtin("", "v1", "pods", "pod", "Pod", true, List.of("po"), true),
            new Builtin("", "v1", "services", "service", "Service", true, List.of("svc"), true),
            new Builtin("apps", "v1", "deployments", "deployment", "Deployment", true, List.of("deploy"), true),
            new Builtin("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, List.of(), false),
            new Builtin("events.k8s.io", "v1", "events", "event", "Event", true, List.of("ev"), false),
            new Builtin("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
                    "CustomResourceDefinition", false, List.of("crd", "crds"), true));

    private BuiltinResources() {
    }
}
