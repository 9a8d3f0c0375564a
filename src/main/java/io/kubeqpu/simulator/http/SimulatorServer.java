package io.kubeqpu.simulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kubeqpu.simulator.BackendProfile;
import io.kubeqpu.simulator.PrimitiveRequest;
import io.kubeqpu.simulator.device.DeviceEvent;
import io.kubeqpu.simulator.device.DeviceOptions;
import io.kubeqpu.simulator.device.InProcessQpuDevice;
import io.kubeqpu.simulator.device.QpuDevice;
import io.kubeqpu.simulator.device.UnknownJobException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulator pod's HTTP API (JDK {@code com.sun.net.httpserver} + Jackson) in front of a {@link QpuDevice}:
 * <pre>
 * POST /v1/jobs/{id}          body: PrimitiveRequest → 202 job status (prepare)
 * POST /v1/jobs/{id}:start    → 200 job status
 * POST /v1/jobs/{id}:cancel   → 200 job status
 * GET  /v1/jobs/{id}          → 200 job status, with "result" once COMPLETED
 * GET  /v1/events?after=N&amp;timeoutMs=M → {"events":[...],"last":K}, long-polls until an event newer than N
 * POST /v1/calibrations       body: {"durationSeconds": s} → 202
 * GET  /v1/backend            → the backend profile and device status
 * GET  /healthz               → 200 {"status":"ok"}
 * </pre>
 * Unknown job ids answer 404, malformed bodies 400; errors are {@code {"error": "..."}}.
 */
public final class SimulatorServer implements AutoCloseable {
    static final long MAX_POLL_MILLIS = 60_000;
    private static final Pattern JOB_PATH = Pattern.compile("/v1/jobs/([A-Za-z0-9._-]{1,253})(?::(start|cancel))?");
    private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    private final HttpServer http;
    private final QpuDevice device;
    private final EventLog events = new EventLog(10_000);
    private final ExecutorService handlers;

    private SimulatorServer(HttpServer http, QpuDevice device) {
        this.http = http;
        this.device = device;
        AtomicInteger n = new AtomicInteger();
        // Long-polls hold a thread each; a generous fixed pool keeps a misbehaving client from starving others.
        this.handlers = Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "qpu-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        device.addListener(events::add);
        http.createContext("/", this::handle);
        http.setExecutor(handlers);
    }

    /** Serves a new in-process device for {@code profile} on {@code port} (0 = any free port) of all interfaces. */
    public static SimulatorServer start(int port, BackendProfile profile) throws IOException {
        return start(new InetSocketAddress(port), new InProcessQpuDevice(profile, DeviceOptions.defaults()));
    }

    public static SimulatorServer start(int port, BackendProfile profile, DeviceOptions options) throws IOException {
        return start(new InetSocketAddress(port), new InProcessQpuDevice(profile, options));
    }

    /** Serves {@code device}; closing the server closes the device. */
    public static SimulatorServer start(InetSocketAddress address, QpuDevice device) throws IOException {
        SimulatorServer server = new SimulatorServer(HttpServer.create(address, 0), device);
        server.http.start();
        return server;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public QpuDevice device() {
        return device;
    }

    @Override
    public void close() {
        http.stop(0);
        handlers.shutdownNow();
        device.close();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            try {
                route(ex, method, path);
            } catch (UnknownJobException e) {
                send(ex, 404, error(e.getMessage()));
            } catch (IllegalArgumentException | IOException e) {
                send(ex, 400, error("bad request: " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                send(ex, 503, error("shutting down"));
            } catch (RuntimeException e) {
                send(ex, 500, error(e.toString()));
            }
        }
    }

    private void route(HttpExchange ex, String method, String path) throws IOException, InterruptedException {
        if (path.equals("/healthz")) {
            ObjectNode ok = DeviceJson.MAPPER.createObjectNode().put("status", "ok");
            send(ex, 200, ok);
            return;
        }
        if (path.equals("/v1/backend") && method.equals("GET")) {
            send(ex, 200, DeviceJson.backend(device.backend(), device.deviceStatus()));
            return;
        }
        if (path.equals("/v1/events") && method.equals("GET")) {
            long after = longParam(ex.getRequestURI(), "after", 0);
            long timeout = Math.min(MAX_POLL_MILLIS, longParam(ex.getRequestURI(), "timeoutMs", 25_000));
            List<DeviceEvent> newer = events.after(after, timeout);
            ObjectNode body = DeviceJson.MAPPER.createObjectNode();
            ArrayNode list = body.putArray("events");
            newer.forEach(e -> list.add(DeviceJson.event(e)));
            body.put("last", newer.isEmpty() ? after : newer.get(newer.size() - 1).sequence());
            send(ex, 200, body);
            return;
        }
        if (path.equals("/v1/calibrations") && method.equals("POST")) {
            JsonNode body = DeviceJson.MAPPER.readTree(readBody(ex));
            double seconds = body == null ? Double.NaN : body.path("durationSeconds").asDouble(Double.NaN);
            if (!(seconds >= 0)) {
                throw new IllegalArgumentException("durationSeconds must be a non-negative number");
            }
            device.calibrate(Duration.ofNanos(Math.round(seconds * 1e9)));
            send(ex, 202, DeviceJson.MAPPER.valueToTree(device.deviceStatus()));
            return;
        }
        Matcher m = JOB_PATH.matcher(path);
        if (!m.matches()) {
            send(ex, 404, error("no such resource " + path));
            return;
        }
        String id = m.group(1);
        String action = m.group(2);
        if (action == null && method.equals("GET")) {
            send(ex, 200, DeviceJson.status(device.status(id)));
        } else if (action == null && method.equals("POST")) {
            PrimitiveRequest request = DeviceJson.readRequest(readBody(ex));
            send(ex, 202, DeviceJson.status(device.prepare(id, request)));
        } else if ("start".equals(action) && method.equals("POST")) {
            send(ex, 200, DeviceJson.status(device.start(id)));
        } else if ("cancel".equals(action) && method.equals("POST")) {
            send(ex, 200, DeviceJson.status(device.cancel(id)));
        } else {
            send(ex, 405, error(method + " not allowed on " + path));
        }
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new IllegalArgumentException("request body larger than " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
    }

    private static long longParam(URI uri, String name, long fallback) {
        String query = uri.getRawQuery();
        if (query == null) {
            return fallback;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                try {
                    return Long.parseLong(pair.substring(eq + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + " must be an integer");
                }
            }
        }
        return fallback;
    }

    private static ObjectNode error(String message) {
        return DeviceJson.MAPPER.createObjectNode().put("error", message);
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = DeviceJson.MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
