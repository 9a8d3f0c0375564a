package io.kubeqpu.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeqpu.config.KubeqpuConfig;
import io.kubeqpu.dispatch.QpuFleet;
import io.kubeqpu.scheduler.SchedulerConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wires the operator core for Quarkus; tests and the embedded default build the same core by hand. */
public class CoreProducer {

    @Produces
    @Singleton
    OperatorCore core(KubernetesClient client, KubeqpuConfig config) {
        SchedulerConfig sc = new SchedulerConfig(config.defaultMaxTtl(), config.defaultInteractiveTtl(),
                config.defaultMaxExecutionTime(), config.fairShareHalfLife());
        if ("pods".equals(config.qpuMode())) {
            var pods = new io.kubeqpu.dispatch.SimulatorPods(client, config.simulatorNamespace(), config.simulatorImage());
            var fleet = new QpuFleet((profile, options) -> new io.kubeqpu.simulator.http.SimulatorHttpClient(pods.url(profile.name())));
            return new OperatorCore(client, Clock.systemUTC(), sc, fleet, pods);
        }
        return new OperatorCore(client, Clock.systemUTC(), sc, QpuFleet.inProcess());
    }

    void close(@Disposes OperatorCore core) {
        core.close();
        core.fleet().close();
    }
}
