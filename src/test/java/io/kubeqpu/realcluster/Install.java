package io.kubeqpu.realcluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator Deployment as an admin installed it (helm or kustomize) on the real API server. The Deployment
 * gets no pod here (no nodes): {@link OperatorProcess} runs its container with what this reads from it.
 */
public record Install(String namespace, Deployment deployment) {

    /** {@code helm install <release> helm/kubeqpu -n <namespace> --create-namespace <args>} with the real helm. */
    public static Install helm(ControlPlane cp, String release, String namespace, String... args) {
        List<String> a = new ArrayList<>(List.of("install", release, "helm/kubeqpu", "-n", namespace, "--create-namespace"));
        a.addAll(List.of(args));
        cp.cli("helm", a, Map.of()).ok();
        return of(cp, namespace, "app.kubernetes.io/instance=" + release);
    }

    /** The operator Deployment in {@code namespace} picked by a label selector. */
    public static Install of(ControlPlane cp, String namespace, String selector) {
        String[] kv = selector.split("=");
        List<Deployment> ds = cp.admin.apps().deployments().inNamespace(namespace).withLabel(kv[0], kv[1]).list().getItems()
                .stream().filter(d -> !"simulator".equals(d.getMetadata().getLabels().get("app.kubernetes.io/component")))
                .toList();
        if (ds.size() != 1) throw new AssertionError("expected one operator Deployment in " + namespace + ", found " + ds.size());
        return new Install(namespace, ds.get(0));
    }

    Container container() {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    public String serviceAccount() {
        return deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
    }

    public List<String> args() {
        return container().getArgs() == null ? List.of() : container().getArgs();
    }

    /** The container's environment, with the downward API fields a kubelet would fill in. */
    public Map<String, String> env(String podName) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : container().getEnv()) {
            if (e.getValue() != null) {
                env.put(e.getName(), e.getValue());
            } else if (e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null) {
                String field = e.getValueFrom().getFieldRef().getFieldPath();
                switch (field) {
                    case "metadata.namespace" -> env.put(e.getName(), namespace);
                    case "metadata.name" -> env.put(e.getName(), podName);
                    default -> throw new IllegalStateException("env " + e.getName() + ": fieldRef " + field + " not supported here");
                }
            } else {
                throw new IllegalStateException("env " + e.getName() + ": valueFrom not supported here");
            }
        }
        return env;
    }

    /** A token of the Deployment's ServiceAccount from the TokenRequest API (what a kubelet mounts in the pod). */
    public String token(ControlPlane cp) {
        var tr = cp.admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount())
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3 * 3600L).endSpec().build());
        return tr.getStatus().getToken();
    }
}
