package io.kubeqpu.controller;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.kubeqpu.config.KubeqpuConfig;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

/**
 * The Quarkus Operator SDK looks up a {@link LeaderElectionConfiguration} bean (in the profiles of
 * {@code quarkus.operator-sdk.activate-leader-election-for-profiles}, prod by default). We produce one when
 * {@code kubeqpu.leader-election.enabled} (the chart's {@code leaderElection.enabled}) is true, and none otherwise.
 * The Lease lives in the namespace of the operator's client (the pod's, set by the chart).
 */
public class LeaderElection {

    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElection(KubeqpuConfig config) {
        if (!config.leaderElectionEnabled()) return null;
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(config.leaderElectionLeaseName()).build();
    }
}
