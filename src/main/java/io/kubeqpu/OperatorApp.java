package io.kubeqpu;

import io.javaoperatorsdk.operator.Operator;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;

/** The {@code operator} role. With a {@code @QuarkusMain}, the Quarkus Operator SDK leaves starting the operator to us. */
public final class OperatorApp implements QuarkusApplication {

    /**
     * Starts the registered reconcilers (leader election, when configured, happens inside), and the restore: now, or
     * when this replica leads.
     */
    public static Operator startOperator() {
        Operator operator = Arc.container().instance(Operator.class).get();
        operator.start();
        io.kubeqpu.controller.LeaderElection.startRestoring(operator, Arc.container().instance(io.kubeqpu.controller.OperatorCore.class).get());
        return operator;
    }

    @Override
    public int run(String... args) {
        Operator operator = startOperator();
        // Stopped by CoreProducer on Quarkus' ShutdownEvent, while the Kubernetes client is still open: stopping it
        // here, after waitForExit, ran against a closed client ("Client is closed" at every shutdown).
        Quarkus.waitForExit();
        return 0;
    }
}
