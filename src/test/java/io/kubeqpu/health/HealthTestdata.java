package io.kubeqpu.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Argo CD style test cases next to each health script: {@code health_test.yaml} lists
 * {@code {inputPath, healthStatus {status, message}}} and {@code testdata/<state>.yaml} holds the object. Cases are
 * captured from objects the operator really wrote (io.kubeqpu.controller.ConditionsAndHealthTest with
 * {@code KUBEQPU_UPDATE_HEALTH_TESTDATA=true}); the expected status there is the test's own, not the script's.
 */
public final class HealthTestdata {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Case(String kind, String inputPath, String status, String message) {}

    private HealthTestdata() {}

    public static boolean updateRequested() {
        return Boolean.parseBoolean(System.getenv("KUBEQPU_UPDATE_HEALTH_TESTDATA"));
    }

    /** Writes one state's object (without server bookkeeping) and its expected health. */
    public static void record(String kind, String state, Object object, String status, String message) {
        try {
            ObjectNode o = JSON.valueToTree(object);
            ObjectNode meta = (ObjectNode) o.get("metadata");
            for (String f : List.of("managedFields", "resourceVersion", "uid", "creationTimestamp", "finalizers", "ownerReferences"))
                meta.remove(f);
            Path dir = ArgoHealth.DIR.resolve(kind);
            Files.createDirectories(dir.resolve("testdata"));
            String input = "testdata/" + state + ".yaml";
            YAML.writeValue(dir.resolve(input).toFile(), o);
            Path tests = dir.resolve("health_test.yaml");
            ObjectNode root = Files.exists(tests) ? (ObjectNode) YAML.readTree(tests.toFile()) : JSON.createObjectNode();
            ArrayNode list = root.has("tests") ? (ArrayNode) root.get("tests") : root.putArray("tests");
            for (int i = list.size() - 1; i >= 0; i--) if (input.equals(list.get(i).path("inputPath").asText())) list.remove(i);
            ObjectNode c = list.addObject();
            c.putObject("healthStatus").put("status", status).put("message", message);
            c.put("inputPath", input);
            YAML.writeValue(tests.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every case of every kind. */
    public static List<Case> all() throws IOException {
        List<Case> out = new java.util.ArrayList<>();
        try (var kinds = Files.list(ArgoHealth.DIR)) {
            for (Path dir : kinds.sorted().toList()) {
                Path tests = dir.resolve("health_test.yaml");
                if (!Files.exists(tests)) continue;
                for (JsonNode c : YAML.readTree(tests.toFile()).path("tests"))
                    out.add(new Case(dir.getFileName().toString(), c.path("inputPath").asText(),
                            c.path("healthStatus").path("status").asText(), c.path("healthStatus").path("message").asText()));
            }
        }
        return out;
    }
}
