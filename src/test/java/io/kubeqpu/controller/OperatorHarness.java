package io.kubeqpu.controller;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.kubeqpu.api.v1alpha1.QuantumBatch;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.kubeqpu.api.v1alpha1.QuantumSession;
import io.kubeqpu.dispatch.QpuFleet;
import io.kubeqpu.scheduler.SchedulerConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The operator on plain JOSDK against an API server (the Fabric8 mock in CRUD mode in tests): the same
 * reconcilers and core as in the Quarkus app. {@link #restart()} stops the operator and starts a fresh one on
 * the same API server and QPUs, as a pod restart would.
 */
public final class OperatorHarness implements AutoCloseable {
    public final KubernetesClient client;
    /** The current operator's fleet: a fresh one at every restart when made by {@link #fleets}. */
    public QpuFleet fleet;
    private java.util.function.Supplier<QpuFleet> fleets;
    public OperatorCore core;
    /** Reconciles started, per object ("QuantumJob/default/name"): what waits on a timer and what on an event shows here. */
    public final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> reconciles = new java.util.concurrent.ConcurrentHashMap<>();
    private final io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration leaderElection;
    private final io.kubeqpu.dispatch.SimulatorPods pods;
    private Operator operator;
    private final java.util.Set<String> namespaces;

    public OperatorHarness(KubernetesClient client) {
        this(client, QpuFleet.inProcess());
    }

    public OperatorHarness(KubernetesClient client, QpuFleet fleet) {
        this(client, fleet, null);
    }

    /** @param pods when set, backends get simulator Deployments and Services (the cluster mode) */
    public OperatorHarness(KubernetesClient client, QpuFleet fleet, io.kubeqpu.dispatch.SimulatorPods pods) {
        this(client, fleet, pods, null);
    }

    /** @param leaderElection when set, this operator only reconciles while it holds the Lease (a replica) */
    public OperatorHarness(KubernetesClient client, QpuFleet fleet, io.kubeqpu.dispatch.SimulatorPods pods,
                           io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration leaderElection) {
        this(client, fleet, pods, leaderElection, null, null);
    }

    /** Controllers of namespaced kinds watch only these namespaces (the chart's {@code operator.watchNamespaces}). */
    public static OperatorHarness watching(KubernetesClient client, java.util.Set<String> namespaces) {
        return new OperatorHarness(client, QpuFleet.inProcess(), null, null, null, namespaces);
    }

    private OperatorHarness(KubernetesClient client, QpuFleet fleet, io.kubeqpu.dispatch.SimulatorPods pods,
                            io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration leaderElection,
                            java.util.function.Supplier<QpuFleet> fleets, java.util.Set<String> namespaces) {
        this.fleets = fleets;
        this.namespaces = namespaces;
        this.leaderElection = leaderElection;
        this.client = client;
        this.fleet = fleet;
        this.pods = pods;
        installCrds(client);
        start();
    }

    public static void installCrds(KubernetesClient client) {
        try (Stream<Path> files = Files.list(Path.of("crds"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).toList()) {
                CustomResourceDefinition crd = client.getKubernetesSerialization()
                        .unmarshal(Files.readString(f), CustomResourceDefinition.class);
                client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(c -> c.update());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void start() {
        core = new OperatorCore(client, Clock.systemUTC(), SchedulerConfig.defaults(), fleet, pods);
        startHooks.forEach(hook -> hook.accept(core));
        operator = new Operator(o -> {
            o.withKubernetesClient(client).withUseSSAToPatchPrimaryResource(false)
                    .withCloseClientOnStop(false).withStopOnInformerErrorDuringStartup(false)
                    .withMetrics(new io.javaoperatorsdk.operator.api.monitoring.Metrics() {
                        @Override
                        public void reconciliationStarted(io.fabric8.kubernetes.api.model.HasMetadata r, java.util.Map<String, Object> metadata) {
                            String key = r.getKind() + "/" + r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
                            reconciles.computeIfAbsent(key, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                        }
                    });
            if (leaderElection != null) o.withLeaderElectionConfiguration(restoringOnLead(leaderElection));
        });
        operator.register(new QuantumBackendReconciler(core)); // cluster-scoped: every namespace
        register(new QuantumInstanceReconciler(core));
        register(new QuantumSessionReconciler(core));
        register(new QuantumBatchReconciler(core));
        register(new QuantumJobReconciler(core));
        operator.start();
        LeaderElection.startRestoring(operator, core); // as OperatorApp does: the restore is a startup phase
    }

    /** The test's Lease, restoring when this replica leads, as the production configuration does. */
    private io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration restoringOnLead(
            io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration lease) {
        var b = io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(lease.getLeaseName())
                .withLeaseDuration(lease.getLeaseDuration()).withRenewDeadline(lease.getRenewDeadline()).withRetryPeriod(lease.getRetryPeriod());
        lease.getLeaseNamespace().ifPresent(b::withLeaseNamespace);
        lease.getIdentity().ifPresent(b::withIdentity);
        return LeaderElection.restoringOnLead(b, () -> core).buildForTest(lease.isExitOnStopLeading());
    }

    private <P extends io.fabric8.kubernetes.api.model.HasMetadata> void register(io.javaoperatorsdk.operator.api.reconciler.Reconciler<P> r) {
        if (namespaces == null) operator.register(r);
        else operator.register(r, o -> o.settingNamespaces(namespaces));
    }

    // ------------------------------------------------------------------ hooks for the reliability tests
    private final java.util.List<java.util.function.Consumer<OperatorCore>> startHooks =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Calls {@code hook} with the current core now and with every new core a restart makes, before its operator
     * starts: an observer added here sees every decision of every incarnation.
     */
    public void onEachStart(java.util.function.Consumer<OperatorCore> hook) {
        startHooks.add(hook);
        hook.accept(core);
    }

    public void stop() {
        operator.stop();
        core.close();
    }

    public void restart() {
        restart(() -> { });
    }

    /** Stops the operator, runs {@code whileDown} (the QPUs go on meanwhile), then starts a new one. */
    public void restart(Runnable whileDown) {
        stop();
        whileDown.run();
        if (fleets != null) {
            // A real restart: the new process has its own clients to the QPUs, which outlive the old one.
            fleet.close();
            fleet = fleets.get();
        }
        start();
    }

    /**
     * An operator whose every incarnation gets a new fleet from {@code fleets} (as a new process would), against QPUs
     * that outlive it (e.g. {@link HttpQpus}).
     */
    public static OperatorHarness withFreshFleets(KubernetesClient client, java.util.function.Supplier<QpuFleet> fleets) {
        OperatorHarness h = new OperatorHarness(client, fleets.get(), null, null, fleets, null);
        return h;
    }

    /** Applies YAML (one or more documents) as kubectl apply would create it. */
    public void apply(String yaml) {
        ManifestApplier.apply(client, yaml, "default");
    }

    /**
     * Applies a job and waits until the operator has seen it. Jobs run in the order the operator first sees them
     * (DESIGN §3.11), so a test that needs one job to run before the next applies them through this.
     */
    public QuantumJob applyInTurn(String name, String yaml) {
        apply(yaml);
        return awaitJob(name, j -> j.getStatus() != null && j.getStatus().getPhase() != null, Duration.ofSeconds(30));
    }

    public QuantumJob job(String name) {
        return client.resources(QuantumJob.class).inNamespace("default").withName(name).get();
    }

    public QuantumSession session(String name) {
        return client.resources(QuantumSession.class).inNamespace("default").withName(name).get();
    }

    /**
     * Closes the session (acceptingJobs: false) as a user would, with a merge patch ({@code kubectl patch --type
     * merge}): no resourceVersion, so a status the operator writes in between does not make it fail 409, as a GET then
     * PUT did (OperatorRestartChaosTest).
     */
    public static void closeSession(KubernetesClient client, String name) {
        client.resources(QuantumSession.class).inNamespace("default").withName(name).patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                "{\"spec\":{\"acceptingJobs\":false}}");
    }

    public QuantumBatch batch(String name) {
        return client.resources(QuantumBatch.class).inNamespace("default").withName(name).get();
    }

    public QuantumJob awaitJob(String name, Predicate<QuantumJob> condition, Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> {
                QuantumJob j = job(name);
                return j != null && condition.test(j);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // What the job looked like is what a reader of a CI failure needs first.
            QuantumJob j = job(name);
            throw new AssertionError("job " + name + " after " + timeout + ": " + (j == null ? "absent"
                    : "labels " + j.getMetadata().getLabels() + ", scheduler " + core.scheduler().job(Ids.of(j))
                    + ", status " + client.getKubernetesSerialization().asYaml(j.getStatus())), e);
        }
        return job(name);
    }

    @Override
    public void close() {
        stop();
        fleet.close();
    }
}
