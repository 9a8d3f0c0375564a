package io.kubeqpu.simulator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeqpu.simulator.BackendProfile;
import io.kubeqpu.simulator.NoiseModel;
import io.kubeqpu.simulator.PrimitiveRequest;
import io.kubeqpu.simulator.Pub;
import io.kubeqpu.simulator.TimingModel;
import io.kubeqpu.simulator.device.DeviceEvent;
import io.kubeqpu.simulator.device.DeviceOptions;
import io.kubeqpu.simulator.device.InProcessQpuDevice;
import io.kubeqpu.simulator.device.QpuJobState;
import io.kubeqpu.simulator.device.JobStatus;
import io.kubeqpu.simulator.device.UnknownJobException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP API end to end on an ephemeral loopback port, through raw HTTP and through the client. */
class SimulatorHttpTest {
    static final String BELL = "OPENQASM 3.0; include \"stdgates.inc\"; qubit[2] q; bit[2] c; h q[0];"
            + " cx q[0], q[1]; c = measure q;";
    static final BackendProfile PROFILE = new BackendProfile("loop", 5, Set.of("cx", "rz", "sx", "x"), false,
            new TimingModel(0.2, 250e-6, 50e-9, 500e-9, 1.5e-6, 1.5e-6, 1e-9), NoiseModel.none());

    private SimulatorServer server;
    private SimulatorHttpClient client;
    private final HttpClient raw = HttpClient.newHttpClient();

    @BeforeEach
    void startServer() throws Exception {
        InProcessQpuDevice device = new InProcessQpuDevice(PROFILE, DeviceOptions.defaults().withTimeScale(0.05));
        server = SimulatorServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), device);
        client = new SimulatorHttpClient(URI.create("http://127.0.0.1:" + server.port()));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        return raw.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(HttpResponse<String> r) throws Exception {
        return DeviceJson.MAPPER.readTree(r.body());
    }

    @Test
    void prepareStartEventResultOverRawHttp() throws Exception {
        String request = "{\"primitive\":\"sampler\",\"shots\":500,\"seed\":3,\"pubs\":[{\"circuit\":"
                + DeviceJson.MAPPER.writeValueAsString(BELL) + "}]}";
        HttpResponse<String> prepared = call("POST", "/v1/jobs/job-1", request);
        assertThat(prepared.statusCode()).isEqualTo(202);
        assertThat(json(prepared).path("jobId").asText()).isEqualTo("job-1");

        assertThat(call("POST", "/v1/jobs/job-1:start", null).statusCode()).isEqualTo(200);

        // Long-poll until the FINISHED event arrives.
        long after = 0;
        JsonNode finished = null;
        long deadline = System.currentTimeMillis() + 10_000;
        while (finished == null && System.currentTimeMillis() < deadline) {
            JsonNode page = json(call("GET", "/v1/events?after=" + after + "&timeoutMs=5000", null));
            for (JsonNode e : page.path("events")) {
                if (e.path("type").asText().equals("FINISHED")) {
                    finished = e;
                }
            }
            after = page.path("last").asLong();
        }
        assertThat(finished).isNotNull();
        assertThat(finished.path("jobId").asText()).isEqualTo("job-1");
        assertThat(finished.path("status").path("state").asText()).isEqualTo("COMPLETED");

        JsonNode status = json(call("GET", "/v1/jobs/job-1", null));
        assertThat(status.path("state").asText()).isEqualTo("COMPLETED");
        JsonNode counts = status.path("result").path("results").path(0).path("data").path("c").path("counts");
        assertThat(counts.path("00").asInt() + counts.path("11").asInt()).isEqualTo(500);
        assertThat(status.path("result").path("results").path(0).path("data").path("c").path("samples")).hasSize(500);
        assertThat(status.path("quantumSeconds").asDouble()).isGreaterThan(0.2);
    }

    @Test
    void clientLearnsOfCompletionThroughItsListener() {
        List<DeviceEvent> events = new CopyOnWriteArrayList<>();
        client.addListener(events::add);
        client.prepare("est-1", PrimitiveRequest.estimator(List.of(Pub.estimator(
                "OPENQASM 3.0; include \"stdgates.inc\"; qubit[1] q; h q[0];", List.of(Map.of("X", 1.0)))), 0.01, 1L));
        client.start("est-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(
                e -> e.type() == DeviceEvent.Type.FINISHED && "est-1".equals(e.jobId())));
        JobStatus done = client.status("est-1");
        assertThat(done.state()).isEqualTo(QpuJobState.COMPLETED);
        assertThat(done.resultJson()).contains("\"evs\"");
        assertThat(events).extracting(DeviceEvent::type).startsWith(DeviceEvent.Type.PREPARED,
                DeviceEvent.Type.STARTED, DeviceEvent.Type.FINISHED);
    }

    @Test
    void cancelOverHttp() {
        client.prepare("slow", PrimitiveRequest.sampler(List.of(Pub.sampler(BELL)), 1_000_000, 1L)); // ~13 s × 0.05
        client.start("slow");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> client.status("slow").state() == QpuJobState.RUNNING);
        JobStatus cancelled = client.cancel("slow");
        assertThat(cancelled.state()).isEqualTo(QpuJobState.CANCELLED);
        assertThat(cancelled.reason()).isEqualTo("Cancelled");
        assertThat(client.status("slow").state()).isEqualTo(QpuJobState.CANCELLED);
    }

    @Test
    void unknownJobsAre404() throws Exception {
        assertThat(call("GET", "/v1/jobs/nope", null).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/v1/jobs/nope:start", null).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/v1/jobs/nope:cancel", null).statusCode()).isEqualTo(404);
        assertThat(json(call("GET", "/v1/jobs/nope", null)).path("error").asText()).isEqualTo("unknown job 'nope'");
        assertThatThrownBy(() -> client.status("nope")).isInstanceOf(UnknownJobException.class);
    }

    @Test
    void malformedRequestsAre400AndRefusedCircuitsFailWithTheirReason() throws Exception {
        assertThat(call("POST", "/v1/jobs/bad", "{not json").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/v1/jobs/bad", "{\"primitive\":\"sampler\",\"pubz\":[]}").statusCode()).isEqualTo(400);
        assertThat(call("DELETE", "/v1/jobs/bad", null).statusCode()).isEqualTo(405);
        client.prepare("wide", PrimitiveRequest.sampler(List.of(Pub.sampler("OPENQASM 3.0; qubit[6] q;")), 10, 1L));
        await().atMost(Duration.ofSeconds(5)).until(() -> client.status("wide").state() == QpuJobState.FAILED);
        assertThat(client.status("wide").reason()).isEqualTo("CircuitTooWide");
    }

    @Test
    void healthBackendAndCalibration() throws Exception {
        assertThat(call("GET", "/healthz", null).statusCode()).isEqualTo(200);
        BackendProfile p = client.backend();
        assertThat(p).isEqualTo(PROFILE);
        List<DeviceEvent> events = new CopyOnWriteArrayList<>();
        client.addListener(events::add);
        client.calibrate(Duration.ofMillis(200));
        await().atMost(Duration.ofSeconds(5)).until(() -> events.stream()
                .anyMatch(e -> e.type() == DeviceEvent.Type.CALIBRATION_FINISHED));
        assertThat(client.deviceStatus().busySlots()).isZero();
    }
}
