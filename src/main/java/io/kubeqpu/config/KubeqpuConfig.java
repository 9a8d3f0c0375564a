package io.kubeqpu.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The operator's settings ({@code kubeqpu.*}; Helm values set them as environment variables). */
@ConfigMapping(prefix = "kubeqpu")
public interface KubeqpuConfig {

    /** Max TTL of a batch or session that sets none; capped by the backend's {@code limits.maxTTL}. */
    @WithDefault("8h")
    Duration defaultMaxTtl();

    /** Interactive TTL of a batch or session that sets none. */
    @WithDefault("60s")
    Duration defaultInteractiveTtl();

    /** Max execution time of a job that sets none; capped by the backend's {@code limits.maxExecutionTime}. */
    @WithDefault("3h")
    Duration defaultMaxExecutionTime();

    /**
     * The largest result a job may produce (bytes of result JSON), whatever its backend's {@code limits.maxResultBytes}:
     * a result is stored in ConfigMaps of under 1 MiB each, and held in the operator's memory while it is stored.
     */
    @WithDefault("67108864")
    long maxResultBytes();

    /** How fast past usage stops counting against an instance in fair share. */
    @WithDefault("1h")
    Duration fairShareHalfLife();

    /**
     * Where the QPUs run: {@code in-process} (one simulator per backend inside the operator) or {@code pods}. Any
     * other value stops the operator at startup (it once meant in-process silently).
     */
    @WithDefault("in-process")
    QpuMode qpuMode();

    /** The values of {@code kubeqpu.qpu-mode}, written hyphenated in configuration ({@code in-process}). */
    enum QpuMode { IN_PROCESS, PODS }

    /** Image of the simulator pods (the operator's own image, role {@code simulator}), unless a backend names one. */
    @WithDefault("kubeqpu:0.1.0-SNAPSHOT")
    String simulatorImage();

    /** Port of the simulator pods (the chart's simulator.port; env KUBEQPU_SIMULATOR_POD_PORT). */
    @io.smallrye.config.WithName("simulator-pod.port")
    @WithDefault("8080")
    int simulatorPodPort();

    /** Container resources of the simulator pods as JSON (the chart's simulator.resources), unless a backend sets its own. */
    @io.smallrye.config.WithName("simulator-pod.resources")
    java.util.Optional<String> simulatorPodResources();

    /** Pod security context of the simulator pods as JSON (simulator.podSecurityContext); absent = the hardened one. */
    @io.smallrye.config.WithName("simulator-pod.pod-security-context")
    java.util.Optional<String> simulatorPodPodSecurityContext();

    /** Container security context of the simulator pods as JSON (simulator.securityContext); absent = the hardened one. */
    @io.smallrye.config.WithName("simulator-pod.security-context")
    java.util.Optional<String> simulatorPodSecurityContext();

    /** Namespace of the simulator pods: the operator's own (the chart sets it from the downward API). */
    @WithDefault("kubeqpu-system")
    String simulatorNamespace();

    /**
     * With {@code qpu-mode=pods}: where some backends' QPUs answer instead of their Service's cluster DNS name, as
     * {@code backend=url} pairs separated by commas ({@code KUBEQPU_SIMULATOR_URLS=sim-eagle=http://127.0.0.1:18080}).
     * For an operator that runs outside the cluster (a developer's {@code kubectl port-forward}; the realcluster
     * tests' simulator processes). The Deployment and Service are still made; only the address changes.
     */
    java.util.Optional<String> simulatorUrls();

    /** Leader election, so that several operator replicas are safe: only the holder of the Lease reconciles. */
    @io.smallrye.config.WithName("leader-election.enabled")
    @WithDefault("false")
    boolean leaderElectionEnabled();

    /** Name of the Lease (in the operator's namespace). */
    @io.smallrye.config.WithName("leader-election.lease-name")
    @WithDefault("kubeqpu-operator-lease")
    String leaderElectionLeaseName();
}
