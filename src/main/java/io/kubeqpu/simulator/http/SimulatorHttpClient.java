package io.kubeqpu.simulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeqpu.simulator.BackendProfile;
import io.kubeqpu.simulator.PrimitiveRequest;
import io.kubeqpu.simulator.device.DeviceEvent;
import io.kubeqpu.simulator.device.DeviceListener;
import io.kubeqpu.simulator.device.DeviceStatus;
import io.kubeqpu.simulator.device.JobStatus;
import io.kubeqpu.simulator.device.QpuDevice;
import io.kubeqpu.simulator.device.UnknownJobException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link QpuDevice} over the simulator pod's HTTP API. Listeners are fed by one background thread that
 * long-polls {@code /v1/events}, so a finished job is known as soon as the pod reports it.
 */
public final class SimulatorHttpClient implements QpuDevice {
    private static final long POLL_MILLIS = 20_000;

    private final URI base;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final List<DeviceListener> listeners = new CopyOnWriteArrayList<>();
    private volatile BackendProfile backend;
    private volatile boolean closed;
    private Thread poller;
    private long lastSequence;

    /** @param base e.g. {@code http://qpu-heron.kubeqpu.svc:8080} */
    public SimulatorHttpClient(URI base) {
        this(base, Duration.ofSeconds(30));
    }

    public SimulatorHttpClient(URI base, Duration requestTimeout) {
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public BackendProfile backend() {
        if (backend == null) {
            try {
                backend = DeviceJson.backend(get("v1/backend", requestTimeout));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return backend;
    }

    @Override
    public JobStatus prepare(String jobId, PrimitiveRequest request) {
        try {
            return DeviceJson.status(send(HttpRequest.newBuilder(jobUri(jobId, ""))
                    .POST(HttpRequest.BodyPublishers.ofString(DeviceJson.writeRequest(request))), jobId, requestTimeout));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public JobStatus start(String jobId) {
        return DeviceJson.status(post(jobUri(jobId, ":start"), jobId));
    }

    @Override
    public JobStatus cancel(String jobId) {
        return DeviceJson.status(post(jobUri(jobId, ":cancel"), jobId));
    }

    @Override
    public JobStatus status(String jobId) {
        return DeviceJson.status(send(HttpRequest.newBuilder(jobUri(jobId, "")).GET(), jobId, requestTimeout));
    }

    @Override
    public void calibrate(Duration duration) {
        String body = "{\"durationSeconds\":" + duration.toNanos() / 1e9 + "}";
        send(HttpRequest.newBuilder(base.resolve("v1/calibrations")).POST(HttpRequest.BodyPublishers.ofString(body)),
                null, requestTimeout);
    }

    @Override
    public DeviceStatus deviceStatus() {
        try {
            return DeviceJson.deviceStatus(get("v1/backend", requestTimeout).get("device"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void addListener(DeviceListener listener) {
        listeners.add(listener);
        if (poller == null) {
            poller = new Thread(this::pollEvents, "qpu-http-events-" + base.getAuthority());
            poller.setDaemon(true);
            poller.start();
        }
    }

    private void pollEvents() {
        while (!closed) {
            try {
                JsonNode body = get("v1/events?after=" + lastSequence + "&timeoutMs=" + POLL_MILLIS,
                        Duration.ofMillis(POLL_MILLIS + 10_000));
                for (JsonNode e : body.path("events")) {
                    DeviceEvent event = DeviceJson.event(e);
                    lastSequence = Math.max(lastSequence, event.sequence());
                    for (DeviceListener l : listeners) {
                        try {
                            l.onEvent(event);
                        } catch (RuntimeException ignored) {
                            // one failing listener must not stop the feed
                        }
                    }
                }
            } catch (RuntimeException | IOException e) {
                sleepQuietly(500); // pod restarting or unreachable: retry
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = poller;
        }
        if (t != null) {
            t.interrupt();
        }
    }

    private URI jobUri(String jobId, String action) {
        if (!jobId.matches("[A-Za-z0-9._-]{1,253}")) {
            throw new IllegalArgumentException("job id must match [A-Za-z0-9._-]{1,253}: " + jobId);
        }
        return base.resolve("v1/jobs/" + jobId + action);
    }

    private JsonNode post(URI uri, String jobId) {
        return send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()), jobId, requestTimeout);
    }

    private JsonNode get(String path, Duration timeout) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), null, timeout);
    }

    private JsonNode send(HttpRequest.Builder builder, String jobId, Duration timeout) {
        HttpRequest request = builder.timeout(timeout).header("Content-Type", "application/json").build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        JsonNode body;
        try {
            body = DeviceJson.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable answer from " + request.uri(), e);
        }
        if (response.statusCode() == 404 && jobId != null) {
            throw new UnknownJobException(jobId);
        }
        if (response.statusCode() == 400) {
            throw new IllegalArgumentException(body.path("error").asText());
        }
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                    + response.statusCode() + ": " + body.path("error").asText());
        }
        return body;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
