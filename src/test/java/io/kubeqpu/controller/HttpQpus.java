package io.kubeqpu.controller;

import io.kubeqpu.dispatch.QpuFleet;
import io.kubeqpu.simulator.device.InProcessQpuDevice;
import io.kubeqpu.simulator.http.SimulatorHttpClient;
import io.kubeqpu.simulator.http.SimulatorServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * QPUs that outlive the operator, as simulator pods do on a cluster: one simulator HTTP server per backend on
 * loopback, started the first time a fleet asks for that backend and kept until {@link #close()}. Every fleet made by
 * {@link #newFleet()} talks to them over HTTP with clients of its own, so an operator restart is a new process's view.
 */
public final class HttpQpus implements AutoCloseable {
    private final Map<String, SimulatorServer> servers = new ConcurrentHashMap<>();

    public QpuFleet newFleet() {
        return new QpuFleet((profile, options) -> {
            SimulatorServer server = servers.computeIfAbsent(profile.name(), name -> {
                try {
                    return SimulatorServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                            new InProcessQpuDevice(profile, options));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return new SimulatorHttpClient(URI.create("http://127.0.0.1:" + server.port()));
        });
    }

    @Override
    public void close() {
        servers.values().forEach(SimulatorServer::close);
        servers.clear();
    }
}
