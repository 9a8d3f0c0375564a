package io.kubeqpu.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.kubeqpu.api.v1alpha1.JobPhase;
import io.kubeqpu.api.v1alpha1.QuantumJob;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The Quarkus application as packaged: CDI wires the core and the five reconcilers, the config mapping binds,
 * and the Quarkus Operator SDK's operator (started by us, since there is a {@code @QuarkusMain}) runs a job.
 */
@QuarkusTest
@WithKubernetesTestServer
class QuarkusWiringTest {
    @Inject
    Operator operator;

    @Inject
    OperatorCore core;

    @Inject
    KubernetesClient client;

    @Inject
    io.kubeqpu.config.KubeqpuConfig config;

    @Test
    void configurationReadsGoDurationsAsTheCrdsAndTheChartDo() {
        // %test.kubeqpu.default-max-ttl=1.5h: Quarkus' own converter refuses it; the chart's schema accepts it.
        assertThat(config.defaultMaxTtl()).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void theOperatorRunsAJobEndToEnd() {
        OperatorHarness.installCrds(client);
        assertThat(operator.getRegisteredControllersNumber()).isEqualTo(5);
        operator.start();
        try {
            io.kubeqpu.controller.ManifestApplier.apply(client, Manifests.backend("qpu", 1, 0.001)
                    + "\n---\n" + Manifests.instance("research", "premium", true) + "\n---\n" + Manifests.job("bell", "qpu", ""), "default");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                QuantumJob j = client.resources(QuantumJob.class).inNamespace("default").withName("bell").get();
                return j.getStatus() != null && j.getStatus().getPhase() == JobPhase.COMPLETED;
            });
            assertThat(core.scheduler().job("default/bell")).isPresent();
        } finally {
            operator.stop();
        }
    }
}
