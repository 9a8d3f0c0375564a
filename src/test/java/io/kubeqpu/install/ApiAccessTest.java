package io.kubeqpu.install;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HTTP requests map to the RBAC verbs the API server's authorizer checks. */
class ApiAccessTest {

    @ParameterizedTest(name = "{0} {1} -> {2} {3} {4}")
    @CsvSource({
            "GET,    /apis/quantum.kubeqpu.io/v1alpha1/quantumbackends?resourceVersion=0,                  quantum.kubeqpu.io, quantumbackends,     list",
            "GET,    /apis/quantum.kubeqpu.io/v1alpha1/quantumjobs?allowWatchBookmarks=true&watch=true,      quantum.kubeqpu.io, quantumjobs,         watch",
            "GET,    /apis/quantum.kubeqpu.io/v1alpha1/namespaces/default/quantumjobs/bell,                  quantum.kubeqpu.io, quantumjobs,         get",
            "PATCH,  /apis/quantum.kubeqpu.io/v1alpha1/namespaces/default/quantumjobs/bell/status,           quantum.kubeqpu.io, quantumjobs/status,  patch",
            "PUT,    /apis/quantum.kubeqpu.io/v1alpha1/quantumbackends/qpu/status,                           quantum.kubeqpu.io, quantumbackends/status, update",
            "POST,   /apis/quantum.kubeqpu.io/v1alpha1/namespaces/default/quantumjobs,                       quantum.kubeqpu.io, quantumjobs,         create",
            "POST,   /api/v1/namespaces/default/configmaps,                                                   '',                 configmaps,          create",
            "PUT,    /api/v1/namespaces/default/configmaps/bell-result,                                       '',                 configmaps,          update",
            "DELETE, /api/v1/namespaces/default/configmaps,                                                   '',                 configmaps,          deletecollection",
            "GET,    /api/v1/namespaces/default,                                                              '',                 namespaces,          get",
            "GET,    /apis/coordination.k8s.io/v1/namespaces/kubeqpu-system/leases/kubeqpu-operator-lease,    coordination.k8s.io, leases,            get",
    })
    void requestsMapToRbacVerbs(String method, String path, String group, String resource, String verb) {
        assertThat(ApiAccess.of(method, path)).isEqualTo(new ApiAccess(group, resource, verb));
    }
}
