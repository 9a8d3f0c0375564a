package io.kubeqpu.controller;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.kubeqpu.config.KubeqpuConfig;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.util.function.Supplier;

/**
 * The Quarkus Operator SDK looks up a {@link LeaderElectionConfiguration} bean (in the profiles of
 * {@code quarkus.operator-sdk.activate-leader-election-for-profiles}, prod by default). We produce one when
 * {@code kubeqpu.leader-election.enabled} (the chart's {@code leaderElection.enabled}) is true, and none otherwise.
 * The Lease lives in the namespace of the operator's client (the pod's, set by the chart).
 *
 * <p>The restore is a startup phase (DESIGN §2): it starts with the operator ({@link #startRestoring}), or, with
 * leader election, when this replica begins to lead. A standby replica restores nothing.
 */
public class LeaderElection {

    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElection(KubeqpuConfig config, OperatorCore core) {
        if (!config.leaderElectionEnabled()) return null;
        return restoringOnLead(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(config.leaderElectionLeaseName()), () -> core)
                .build();
    }

    /**
     * The Lease's configuration, starting the restore when this replica begins to lead. JOSDK calls this before it
     * starts reconciling, from the lease loop: the restore goes on a thread of its own, so the Lease is renewed on time.
     */
    public static LeaderElectionConfigurationBuilder restoringOnLead(LeaderElectionConfigurationBuilder lease, Supplier<OperatorCore> core) {
        return lease.withLeaderCallbacks(new LeaderCallbacks(() -> core.get().restoreInBackground(), () -> { }, leader -> { }));
    }

    /** Right after {@code operator.start()}: without leader election, the restore starts now. */
    public static void startRestoring(Operator operator, OperatorCore core) {
        if (operator.getConfigurationService().getLeaderElectionConfiguration().isEmpty()) core.restoreInBackground();
    }
}
