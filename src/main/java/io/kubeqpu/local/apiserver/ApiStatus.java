package io.kubeqpu.local.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import io.kubeqpu.local.apiserver.validation.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/** {@code Status} failure bodies as kube-apiserver writes them, which kubectl turns into "Error from server (...)". */
final class ApiStatus {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ApiStatus() {
    }

    /**
     * 422 Invalid, e.g. {@code QuantumJob.quantum.kubeqpu.io "bad" is invalid: spec: Invalid value: "object": set
     * backend, sessionRef or batchRef}; several errors are listed in brackets, as the API server does.
     */
    static MockResponse invalid(String kind, String group, String name, List<FieldError> errors) {
        String list = errors.size() == 1 ? errors.get(0).toString()
                : errors.stream().map(FieldError::toString).collect(Collectors.joining(", ", "[", "]"));
        String qualifiedKind = group.isEmpty() ? kind : kind + "." + group;
        ObjectNode status = failure(422, "Invalid", qualifiedKind + " \"" + name + "\" is invalid: " + list);
        ObjectNode details = status.putObject("details");
        details.put("name", name);
        details.put("group", group);
        details.put("kind", kind);
        ArrayNode causes = details.putArray("causes");
        for (FieldError e : errors) {
            causes.addObject().put("reason", e.reason()).put("message", e.body()).put("field", e.field());
        }
        return response(422, status);
    }

    static MockResponse notFound(String group, String plural, String name) {
        String resource = group.isEmpty() ? plural : plural + "." + group;
        ObjectNode status = failure(404, "NotFound", resource + " \"" + name + "\" not found");
        status.putObject("details").put("name", name).put("group", group).put("kind", plural);
        return response(404, status);
    }

    static MockResponse of(int code, String reason, String message) {
        return response(code, failure(code, reason, message));
    }

    private static ObjectNode failure(int code, String reason, String message) {
        ObjectNode status = F.objectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", message);
        status.put("reason", reason);
        status.put("code", code);
        return status;
    }

    private static MockResponse response(int code, ObjectNode body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }
}
