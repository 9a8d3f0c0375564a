package io.kubeqpu;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeqpu.config.KubeqpuConfig;
import io.kubeqpu.controller.OperatorCore;
import io.kubeqpu.dispatch.QpuFleet;
import io.kubeqpu.scheduler.SchedulerConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Wires the operator core for Quarkus, and attaches what observes it (metrics): the composition root, so that the
 * controller package does not depend on observe. Tests and the embedded default build the same core by hand.
 */
public class CoreProducer {

    @Produces
    @Singleton
    OperatorCore core(KubernetesClient client, KubeqpuConfig config, io.micrometer.core.instrument.MeterRegistry registry) {
        SchedulerConfig sc = new SchedulerConfig(config.defaultMaxTtl(), config.defaultInteractiveTtl(),
                config.defaultMaxExecutionTime(), config.fairShareHalfLife());
        OperatorCore core;
        if (config.qpuMode() == KubeqpuConfig.QpuMode.PODS) {
            var defaults = io.kubeqpu.dispatch.SimulatorPods.PodDefaults.HARDENED.with(config.simulatorPodPort(),
                    config.simulatorPodResources().orElse(null), config.simulatorPodPodSecurityContext().orElse(null),
                    config.simulatorPodSecurityContext().orElse(null));
            var pods = new io.kubeqpu.dispatch.SimulatorPods(client, config.simulatorNamespace(), config.simulatorImage(), defaults,
                    io.kubeqpu.dispatch.SimulatorPods.parseUrls(config.simulatorUrls().orElse("")));
            var fleet = new QpuFleet((profile, options) -> new io.kubeqpu.simulator.http.SimulatorHttpClient(pods.url(profile.name())));
            core = new OperatorCore(client, Clock.systemUTC(), sc, fleet, pods);
        } else {
            core = new OperatorCore(client, Clock.systemUTC(), sc, QpuFleet.inProcess());
        }
        core.limits().operatorMaxResultBytes(config.maxResultBytes());
        // Observability: kubeqpu_* metrics in the Quarkus registry (served at /q/metrics); see docs/observability.md.
        io.kubeqpu.observe.KubeqpuMetrics.attach(core, registry);
        return core;
    }

    /**
     * On shutdown, while the Kubernetes client is still open: stop the operator, then let the core write its last
     * statuses and stop its writer. Bean disposal closes the client in no set order with the core, and the status
     * writer then logged "Client is closed" at every shutdown. (The disposer's second close finds nothing to do.)
     */
    void stopOperator(@jakarta.enterprise.event.Observes @jakarta.annotation.Priority(1) io.quarkus.runtime.ShutdownEvent event,
                      io.javaoperatorsdk.operator.Operator operator, OperatorCore core) {
        try {
            operator.stop();
        } catch (RuntimeException e) {
            org.jboss.logging.Logger.getLogger(CoreProducer.class).debug("operator stop", e);
        }
        core.close();
    }

    void close(@Disposes OperatorCore core) {
        core.close();
        core.fleet().close();
    }
}
