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
                // The operator passes the backend's profile and device options as JSON (SimulatorPods).
                var json = new com.fasterxml.jackson.databind.ObjectMapper()
                        .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
                int port = Integer.parseInt(System.getenv().getOrDefault("KUBEQPU_SIMULATOR_PORT", "8080"));
                String profileJson = System.getenv("KUBEQPU_BACKEND_PROFILE");
                BackendProfile profile = profileJson == null ? BackendProfile.defaults("simulator", 27)
                        : json.readValue(profileJson, BackendProfile.class);
                String optionsJson = System.getenv("KUBEQPU_DEVICE_OPTIONS");
                var options = optionsJson == null ? io.kubeqpu.simulator.device.DeviceOptions.defaults()
                        : json.readValue(optionsJson, io.kubeqpu.simulator.device.DeviceOptions.class);
                SimulatorServer server = SimulatorServer.start(port, profile, options);
                System.out.println("kubeqpu simulator for backend " + profile.name() + " listening on :" + port);
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
