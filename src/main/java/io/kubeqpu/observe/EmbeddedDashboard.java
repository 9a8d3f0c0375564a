package io.kubeqpu.observe;

import io.kubeqpu.controller.OperatorCore;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The embedded default's dashboard: a timeline recorder on the operator core and the dashboard server on
 * loopback, port {@code kubeqpu.dashboard.port} (system property, default 8090; any free port if taken). It also
 * serves {@code /metrics}, because the embedded default runs without Quarkus HTTP (so no {@code /q/metrics}).
 */
public final class EmbeddedDashboard {
    public static final int DEFAULT_PORT = 8090;

    private EmbeddedDashboard() {}

    /** Call before any work is submitted: the recorder sees only decisions made after it is attached. */
    public static DashboardServer start(OperatorCore core) {
        Clock clock = core.clock();
        TimelineRecorder recorder = new TimelineRecorder(core::scheduler, clock);
        core.observe(recorder);
        // A deleted QuantumBackend's QPU leaves the fleet: its lane goes with it.
        TimelineJson json = new TimelineJson(recorder, core::scheduler, b -> core.fleet().device(b).isPresent());
        int port = Integer.getInteger("kubeqpu.dashboard.port", DEFAULT_PORT);
        try {
            try {
                return DashboardServer.start(InetAddress.getLoopbackAddress(), port, json, clock, prometheusText());
            } catch (BindException taken) {
                return DashboardServer.start(InetAddress.getLoopbackAddress(), 0, json, clock, prometheusText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Quarkus Prometheus registry's scrape, or null (no /metrics) outside Quarkus. */
    private static Supplier<String> prometheusText() {
        if (Arc.container() == null) return null;
        InstanceHandle<PrometheusMeterRegistry> h = Arc.container().instance(PrometheusMeterRegistry.class);
        if (!h.isAvailable()) return null;
        PrometheusMeterRegistry registry = h.get();
        return registry::scrape;
    }
}
