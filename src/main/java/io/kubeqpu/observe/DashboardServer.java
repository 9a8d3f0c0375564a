package io.kubeqpu.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A small HTTP server (JDK httpserver: no dependency, works where Quarkus HTTP is off, as in the embedded default):
 * {@code /dashboard} is the page, {@code /dashboard/api/timeline} its JSON, {@code /metrics} the Prometheus text
 * when a registry is given.
 */
public final class DashboardServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private DashboardServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param port          0 for any free port
     * @param metricsText   Prometheus exposition text, or null to serve no {@code /metrics}
     */
    public static DashboardServer start(InetAddress host, int port, TimelineJson timeline, Clock clock,
                                        Supplier<String> metricsText) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "kubeqpu-dashboard");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/dashboard/api/timeline", ex -> respond(ex, 200, "application/json",
                () -> timeline.render(clock.instant())));
        server.createContext("/dashboard", ex -> {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/dashboard") || path.equals("/dashboard/") || path.equals("/dashboard/index.html"))
                respond(ex, 200, "text/html; charset=utf-8", () -> resource("dashboard/index.html"));
            else respond(ex, 404, "text/plain", () -> "not found");
        });
        if (metricsText != null)
            server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metricsText));
        server.start();
        return new DashboardServer(server, executor);
    }

    public String url() {
        InetSocketAddress a = server.getAddress();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/dashboard";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String type, Supplier<String> body) throws IOException {
        byte[] bytes;
        try {
            bytes = body.get().getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            status = 500;
            type = "text/plain";
            bytes = String.valueOf(e).getBytes(StandardCharsets.UTF_8);
        }
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String resource(String path) {
        try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException(path + " is not on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
