package io.kubeqpu.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The chart's ClusterRole is what the operator's own API calls need, no more: the calls are observed by running
 * the operator over config/samples/ against a recording mock API server ({@link OperatorApiCalls}).
 */
class RbacDerivedFromApiCallsTest {
    /**
     * An object the status writer or the Events sender meets before its reconciler did (just after a restart): its
     * generation or UID is read with one GET (StatusRecorder.edit, Events.lookUpUid). The scenario's status writes no
     * longer GET first (ByName), so it does not reach these.
     */
    static final String GET_BEFORE_SEEN = "an object written before its reconciler saw it: one GET for its generation or UID";

    /** Granted although the mock API server never asks for them, each for a stated reason. */
    static final Map<ApiAccess, String> NEEDED_ON_REAL_CLUSTERS_ONLY = Map.of(
            new ApiAccess("quantum.kubeqpu.io", "quantumjobs/finalizers", "update"),
            "result ConfigMaps set blockOwnerDeletion on their QuantumJob (OwnerReferencesPermissionEnforcement)",
            new ApiAccess("quantum.kubeqpu.io", "quantumbatches/finalizers", "update"),
            "batch-created QuantumJobs set blockOwnerDeletion on their QuantumBatch (OwnerReferencesPermissionEnforcement)",
            new ApiAccess("quantum.kubeqpu.io", "quantumbackends/finalizers", "update"),
            "simulator Deployments and Services set blockOwnerDeletion on their QuantumBackend (OwnerReferencesPermissionEnforcement)",
            new ApiAccess("", "events", "patch"),
            "an Event that repeats within 10 minutes is aggregated: its count and lastTimestamp are patched (Events)",
            new ApiAccess("quantum.kubeqpu.io", "quantumbackends", "get"), GET_BEFORE_SEEN,
            new ApiAccess("quantum.kubeqpu.io", "quantumsessions", "get"), GET_BEFORE_SEEN,
            new ApiAccess("quantum.kubeqpu.io", "quantumbatches", "get"), GET_BEFORE_SEEN,
            new ApiAccess("quantum.kubeqpu.io", "quantuminstances", "get"), GET_BEFORE_SEEN,
            new ApiAccess("quantum.kubeqpu.io", "quantumjobs", "get"), GET_BEFORE_SEEN
                    + "; and a batch's inline job whose name another job holds (its create answered 409: whose is it?)");

    final Set<ApiAccess> calls = OperatorApiCalls.observe();
    final List<PolicyRule> chartRules = RenderedChart.withDefaults().clusterRules();

    @Test
    void theScenarioExercisesEveryKindOfCallTheOperatorMakes() {
        // If the scenario stopped reaching these paths, the derivation below would silently prove less.
        assertThat(calls).contains(
                new ApiAccess("quantum.kubeqpu.io", "quantumjobs", "watch"),
                new ApiAccess("quantum.kubeqpu.io", "quantumjobs", "create"),
                new ApiAccess("quantum.kubeqpu.io", "quantumjobs/status", "patch"),
                new ApiAccess("quantum.kubeqpu.io", "quantumsessions/status", "patch"),
                new ApiAccess("quantum.kubeqpu.io", "quantumbatches", "patch"),
                new ApiAccess("", "configmaps", "create"),
                new ApiAccess("", "configmaps", "update"),
                new ApiAccess("", "events", "create"));
    }

    @Test
    void theChartsClusterRoleGrantsEveryCallTheOperatorMakes() {
        Set<ApiAccess> missing = new TreeSet<>();
        for (ApiAccess a : calls) if (!a.grantedBy(chartRules)) missing.add(a);
        assertThat(missing).as("calls the ClusterRole does not grant").isEmpty();
    }

    @Test
    void theChartsClusterRoleGrantsNothingTheOperatorDoesNotCall() {
        Set<ApiAccess> unused = new TreeSet<>(ApiAccess.expand(chartRules));
        unused.removeAll(calls);
        unused.removeAll(NEEDED_ON_REAL_CLUSTERS_ONLY.keySet());
        assertThat(unused).as("granted but never called").isEmpty();
    }

    @Test
    void theChartsClusterRoleHasNoWildcards() {
        assertThat(ApiAccess.wildcards(chartRules)).isEmpty();
        assertThat(chartRules).allSatisfy(r -> assertThat(r.getNonResourceURLs()).isNullOrEmpty());
    }

    @Test
    void theOperatorNeverDeletesAnything() {
        // Deletion is the garbage collector's job (owner references); the operator only cancels.
        assertThat(calls).noneMatch(a -> a.verb().startsWith("delete"));
    }
}
