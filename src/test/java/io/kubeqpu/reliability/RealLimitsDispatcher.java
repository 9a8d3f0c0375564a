package io.kubeqpu.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kubeqpu.local.apiserver.ApiServerDispatcher;
import io.kubeqpu.local.apiserver.EmbeddedHttpServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The embedded API server with what kube-apiserver checks on built-in objects and the embedded one does not: a
 * ConfigMap holds at most 1 MiB (data + binaryData), object names are DNS-1123 subdomains of at most 253
 * characters, label values at most 63. Refuses with 422 as kube-apiserver does, and counts the refusals; with
 * {@link #refuseConfigMaps} every ConfigMap write is refused (storage failing).
 */
final class RealLimitsDispatcher extends ApiServerDispatcher {
    static final int MAX_CONFIGMAP_BYTES = 1 << 20;
    private static final Pattern SUBDOMAIN = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final Pattern LABEL_VALUE = Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");
    private final ObjectMapper mapper = new ObjectMapper();
    volatile boolean refuseConfigMaps;
    final AtomicInteger refused = new AtomicInteger();
    final List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());

    static KubernetesMockServer server(RealLimitsDispatcher d) {
        return new KubernetesMockServer(new Context(), new EmbeddedHttpServer(), new HashMap<>(), d, false);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath().split("\\?")[0];
        String method = request.method().name();
        boolean write = method.equals("POST") || method.equals("PUT");
        if (write && path.startsWith("/api/v1/")) {
            // Read without consuming: the store reads the body after us.
            String body = request.getBody() == null ? "" : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
            String problem = problem(path, body);
            if (problem != null) {
                refused.incrementAndGet();
                refusals.add(problem);
                return new MockResponse().setResponseCode(422).setBody(mapper.createObjectNode().put("kind", "Status")
                        .put("apiVersion", "v1").put("status", "Failure").put("reason", "Invalid").put("code", 422)
                        .put("message", problem).toString());
            }
        }
        return super.dispatch(request);
    }

    private String problem(String path, String body) {
        JsonNode o;
        try {
            o = mapper.readTree(body);
        } catch (Exception e) {
            return null;
        }
        if (o == null || !o.isObject()) return null;
        String kind = o.path("kind").asText();
        String name = o.path("metadata").path("name").asText("");
        if (name.length() > 253 || !SUBDOMAIN.matcher(name).matches())
            return kind + " \"" + name + "\" is invalid: metadata.name: Invalid value: must be no more than 253 characters, a lowercase RFC 1123 subdomain";
        for (Iterator<Map.Entry<String, JsonNode>> it = o.path("metadata").path("labels").fields(); it.hasNext(); ) {
            var e = it.next();
            String v = e.getValue().asText();
            if (v.length() > 63 || !LABEL_VALUE.matcher(v).matches())
                return kind + " \"" + name + "\" is invalid: metadata.labels: Invalid value: \"" + v + "\": must be no more than 63 characters";
        }
        if (path.contains("/configmaps")) {
            if (refuseConfigMaps) return "ConfigMap \"" + name + "\" is invalid: injected storage failure";
            long bytes = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = o.path("data").fields(); it.hasNext(); ) {
                var e = it.next();
                bytes += e.getKey().length() + e.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = o.path("binaryData").fields(); it.hasNext(); ) {
                var e = it.next();
                bytes += e.getKey().length() + java.util.Base64.getDecoder().decode(e.getValue().asText()).length;
            }
            if (bytes > MAX_CONFIGMAP_BYTES)
                return "ConfigMap \"" + name + "\" is invalid: []: Too long: must have at most 1048576 bytes";
        }
        return null;
    }
}
