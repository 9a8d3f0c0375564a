package io.kubeqpu.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Leader election (JOSDK's LeaderElectionManager runs Fabric8's LeaderElector on a LeaseLock): the Lease calls two
 * candidates make, plus the Lease verbs JOSDK checks for at start, are what the chart's leader-election Role grants, in
 * the release namespace only.
 */
class LeaderElectionRbacTest {

    @Test
    void theLeaderElectionRoleGrantsExactlyTheLeaseCallsOfTwoCandidates() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient base = server.createClient();
             KubernetesClient a = agent(base, "a"); KubernetesClient b = agent(base, "b")) {
            AtomicBoolean aLeads = new AtomicBoolean(), bLeads = new AtomicBoolean();
            CompletableFuture<?> ea = elector(a, "a", aLeads), eb = elector(b, "b", bLeads);
            await().atMost(Duration.ofSeconds(20)).until(() -> aLeads.get() || bLeads.get());
            Thread.sleep(1500); // a few renewals by the leader and retries by the follower
            ea.cancel(true);
            eb.cancel(true);
            assertThat(aLeads.get() && bLeads.get()).as("never two leaders").isFalse();
        }
        Set<ApiAccess> calls = OperatorApiCalls.operatorCallsFrom(server, "kubeqpu-candidate-");
        server.destroy();

        Role role = RenderedChart.with(Map.of("leaderElection.enabled", true)).all(Role.class).stream()
                .filter(r -> r.getMetadata().getName().endsWith("-leader-election")).findFirst().orElseThrow();
        assertThat(role.getMetadata().getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
        List<PolicyRule> rules = role.getRules();
        assertThat(calls).isNotEmpty().allSatisfy(c -> assertThat(c.grantedBy(rules)).as(c.toString()).isTrue());
        // JOSDK's LeaderElectionManager also checks, before it starts, that a SelfSubjectRulesReview shows get, create
        // and update on leases, and refuses to start otherwise (found on kube-apiserver: io.kubeqpu.realcluster).
        Set<ApiAccess> needed = new java.util.TreeSet<>(calls);
        for (String verb : List.of("get", "create", "update")) needed.add(new ApiAccess("coordination.k8s.io", "leases", verb));
        assertThat(ApiAccess.expand(rules)).isEqualTo(needed);
    }

    @Test
    void withoutLeaderElectionThereIsNoLeaseRole() {
        assertThat(RenderedChart.with(Map.of("leaderElection.enabled", false)).all(Role.class))
                .noneMatch(r -> r.getRules().stream().anyMatch(rule -> rule.getResources().contains("leases")));
    }

    static KubernetesClient agent(KubernetesClient base, String id) {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(base.getConfiguration()).withUserAgent("kubeqpu-candidate-" + id).build()).build();
    }

    static CompletableFuture<?> elector(KubernetesClient client, String id, AtomicBoolean leading) {
        return client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName("kubeqpu").withLock(new LeaseLock(RenderedChart.NAMESPACE, "kubeqpu-operator-lease", id))
                .withLeaseDuration(Duration.ofSeconds(2)).withRenewDeadline(Duration.ofMillis(1500))
                .withRetryPeriod(Duration.ofMillis(200))
                .withLeaderCallbacks(new LeaderCallbacks(() -> leading.set(true), () -> leading.set(false), x -> {}))
                .build()).build().start();
    }
}
