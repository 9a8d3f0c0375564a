package io.kubeqpu.simulator.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeqpu.simulator.BackendProfile;
import io.kubeqpu.simulator.NoiseModel;
import io.kubeqpu.simulator.PrimitiveRequest;
import io.kubeqpu.simulator.TimingModel;
import io.kubeqpu.simulator.device.DeviceEvent;
import io.kubeqpu.simulator.device.DeviceStatus;
import io.kubeqpu.simulator.device.QpuJobState;
import io.kubeqpu.simulator.device.JobStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** The wire format shared by {@link SimulatorServer} and {@link SimulatorHttpClient}. */
public final class DeviceJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private DeviceJson() {
    }

    public static PrimitiveRequest readRequest(byte[] body) throws IOException {
        return MAPPER.readValue(body, PrimitiveRequest.class);
    }

    public static String writeRequest(PrimitiveRequest request) throws IOException {
        return MAPPER.writeValueAsString(request);
    }

    public static ObjectNode status(JobStatus s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("jobId", s.jobId());
        n.put("state", s.state().name());
        n.put("startRequested", s.startRequested());
        if (s.quantumSeconds() != null) {
            n.put("quantumSeconds", s.quantumSeconds());
        }
        putIfPresent(n, "reason", s.reason());
        putIfPresent(n, "message", s.message());
        putIfPresent(n, "preparedAt", s.preparedAt());
        putIfPresent(n, "startedAt", s.startedAt());
        putIfPresent(n, "finishedAt", s.finishedAt());
        if (s.resultJson() != null) {
            try {
                n.set("result", MAPPER.readTree(s.resultJson()));
            } catch (IOException e) {
                throw new IllegalStateException("result is not JSON", e);
            }
        }
        return n;
    }

    public static JobStatus status(JsonNode n) {
        JsonNode result = n.get("result");
        return new JobStatus(n.path("jobId").asText(), QpuJobState.valueOf(n.path("state").asText()),
                n.path("startRequested").asBoolean(),
                n.hasNonNull("quantumSeconds") ? n.get("quantumSeconds").asDouble() : null,
                text(n, "reason"), text(n, "message"), instant(n, "preparedAt"), instant(n, "startedAt"),
                instant(n, "finishedAt"), result == null || result.isNull() ? null : result.toString());
    }

    public static ObjectNode event(DeviceEvent e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("sequence", e.sequence());
        n.put("type", e.type().name());
        putIfPresent(n, "jobId", e.jobId());
        if (e.status() != null) {
            n.set("status", status(e.status()));
        }
        return n;
    }

    public static DeviceEvent event(JsonNode n) {
        return new DeviceEvent(n.path("sequence").asLong(), DeviceEvent.Type.valueOf(n.path("type").asText()),
                text(n, "jobId"), n.hasNonNull("status") ? status(n.get("status")) : null);
    }

    public static ObjectNode backend(BackendProfile p, DeviceStatus d) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", p.name());
        n.put("numQubits", p.numQubits());
        p.basisGates().stream().sorted().forEach(n.putArray("basisGates")::add);
        n.put("requireIsa", p.requireIsa());
        n.set("timing", MAPPER.valueToTree(p.timing()));
        ObjectNode noise = n.putObject("noise");
        noise.put("readoutError", p.noise().readoutError());
        noise.put("depolarizing", p.noise().depolarizing());
        if (d != null) {
            n.set("device", MAPPER.valueToTree(d));
        }
        return n;
    }

    public static BackendProfile backend(JsonNode n) throws IOException {
        Set<String> basis = new HashSet<>();
        n.path("basisGates").forEach(g -> basis.add(g.asText()));
        TimingModel timing = MAPPER.treeToValue(n.get("timing"), TimingModel.class);
        NoiseModel noise = new NoiseModel(n.path("noise").path("readoutError").asDouble(),
                n.path("noise").path("depolarizing").asDouble());
        return new BackendProfile(n.path("name").asText(), n.path("numQubits").asInt(), basis,
                n.path("requireIsa").asBoolean(), timing, noise);
    }

    public static DeviceStatus deviceStatus(JsonNode n) throws IOException {
        return MAPPER.treeToValue(n, DeviceStatus.class);
    }

    private static void putIfPresent(ObjectNode n, String field, Object value) {
        if (value != null) {
            n.put(field, value.toString());
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static Instant instant(JsonNode n, String field) {
        return n.hasNonNull(field) ? Instant.parse(n.get(field).asText()) : null;
    }
}
