package io.kubeqpu;

import io.kubeqpu.local.LocalDemo;
import io.kubeqpu.simulator.BackendProfile;
import io.kubeqpu.simulator.http.SimulatorServer;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * One image, three roles: {@code operator} (default: the Quarkus operator against the cluster it runs in),
 * {@code simulator} (the QPU stand-in pod's HTTP API) and {@code local} (the embedded default: an in-process
 * API server, the operator and in-process QPUs, running config/samples/).
 */
@QuarkusMain
public final class Main {
    private Main() {}

    public static void main(String... args) throws Exception {
        String role = args.length == 0 ? "operator" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (role) {
            case "operator" -> Quarkus.run(OperatorApp.class, rest);
            case "local" -> LocalDemo.launch(rest);
            case "simulator" -> {
                int port = Integer.parseInt(System.getenv().getOrDefault("KUBEQPU_SIMULATOR_PORT", "8080"));
                int qubits = Integer.parseInt(System.getenv().getOrDefault("KUBEQPU_SIMULATOR_QUBITS", "27"));
                String name = System.getenv().getOrDefault("KUBEQPU_BACKEND", "simulator");
                SimulatorServer server = SimulatorServer.start(port, BackendProfile.defaults(name, qubits));
                System.out.println("kubeqpu simulator for backend " + name + " listening on :" + port);
                Runtime.getRuntime().addShutdownHook(new Thread(server::close));
                Thread.currentThread().join();
            }
            default -> {
                System.err.println("usage: kubeqpu [operator|simulator|local [--exit-when-done] [--port N] [--samples DIR]]");
                System.exit(2);
            }
        }
    }
}
