package io.kubeqpu.local.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The indexed store answers exactly as Fabric8's scanning one: the same requests are sent to both and every answer
 * (code and body, but for the random uid and the clock's timestamps) must be equal, while the index stays what
 * indexing the store from scratch gives, across create, update, patch, status writes, delete (with and without
 * finalizers), re-create, collection delete and label/field-selected lists.
 */
class IndexedCrudDispatcherTest {
    private static final String CM = "/api/v1/namespaces/%s/configmaps";
    private static final String WIDGETS = "/apis/example.com/v1/namespaces/%s/widgets";
    private static final String CRD = """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "metadata":{"name":"widgets.example.com"},
             "spec":{"group":"example.com","scope":"Namespaced",
               "names":{"plural":"widgets","singular":"widget","kind":"Widget"},
               "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
                 "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
            """;

    private final KubernetesCrudDispatcher reference = new KubernetesCrudDispatcher();
    private final IndexedCrudDispatcher indexed = new IndexedCrudDispatcher();
    private final List<String> transcript = new ArrayList<>();

    @Test
    void answersAsTheScanningStoreAndKeepsTheIndexInStep() {
        assertThat(indexed.indexed()).as("the mock's store lock was found: the index is used").isTrue();
        same(HttpMethod.POST, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", CRD, null);
        same(HttpMethod.POST, "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a\"}}", null);
        for (String ns : List.of("a", "b")) {
            for (int i = 0; i < 12; i++) {
                same(HttpMethod.POST, CM.formatted(ns), configMap("cm-" + i, ns, i % 3 == 0 ? "x" : "y", "v" + i), null);
                same(HttpMethod.POST, WIDGETS.formatted(ns), widget("w-" + i, ns, i), null);
            }
        }
        same(HttpMethod.POST, CM.formatted("a"), configMap("cm-1", "a", "x", "dup"), null); // 409
        same(HttpMethod.POST, CM.formatted("a"), configMap("cm-new", "b", "x", "ns"), null); // 400: namespace mismatch
        reads();

        // Updates that change the key (labels) and that do not; a stale resourceVersion; a missing object.
        String cm1 = body(HttpMethod.GET, CM.formatted("a") + "/cm-1");
        same(HttpMethod.PUT, CM.formatted("a") + "/cm-1", cm1.replace("\"app\":\"y\"", "\"app\":\"x\""), null);
        same(HttpMethod.PUT, CM.formatted("a") + "/cm-1", cm1.replace("\"v1\"", "\"other\""), null); // 409 stale
        same(HttpMethod.PUT, CM.formatted("a") + "/nope", configMap("nope", "a", "x", "v"), null); // 404
        same(HttpMethod.PATCH, CM.formatted("a") + "/cm-2", "[{\"op\":\"replace\",\"path\":\"/metadata/labels/app\",\"value\":\"x\"}]",
                "application/json-patch+json");
        same(HttpMethod.PATCH, CM.formatted("b") + "/cm-4", "{\"metadata\":{\"labels\":{\"tier\":\"web\"}},\"data\":{\"k\":\"m\"}}",
                "application/merge-patch+json");
        same(HttpMethod.PATCH, CM.formatted("b") + "/nope", "{\"data\":{}}", "application/merge-patch+json"); // 404
        // Status subresource: status dropped on create, kept on main-resource writes, written through /status.
        same(HttpMethod.PATCH, WIDGETS.formatted("a") + "/w-1/status", "{\"status\":{\"phase\":\"Running\"}}",
                "application/merge-patch+json");
        same(HttpMethod.PATCH, WIDGETS.formatted("a") + "/w-1", "{\"spec\":{\"size\":9},\"status\":{\"phase\":\"Lost\"}}",
                "application/merge-patch+json");
        String w2 = body(HttpMethod.GET, WIDGETS.formatted("a") + "/w-2");
        same(HttpMethod.PUT, WIDGETS.formatted("a") + "/w-2/status", w2.replace("\"spec\":{", "\"status\":{\"phase\":\"Done\"},\"spec\":{"), null);
        reads();

        // Delete with a finalizer: marked, then removed when the finalizer goes; re-created under the same name.
        same(HttpMethod.POST, WIDGETS.formatted("a"), widget("fin", "a", 1).replace("\"labels\"",
                "\"finalizers\":[\"example.com/f\"],\"labels\""), null);
        sameIgnoringResourceVersion(HttpMethod.DELETE, WIDGETS.formatted("a") + "/fin");
        sameIgnoringResourceVersion(HttpMethod.DELETE, WIDGETS.formatted("a") + "/fin");
        same(HttpMethod.GET, WIDGETS.formatted("a") + "/fin", null, null);
        same(HttpMethod.PATCH, WIDGETS.formatted("a") + "/fin", "{\"metadata\":{\"finalizers\":null}}", "application/merge-patch+json");
        same(HttpMethod.GET, WIDGETS.formatted("a") + "/fin", null, null); // 404
        same(HttpMethod.POST, WIDGETS.formatted("a"), widget("fin", "a", 2), null);
        same(HttpMethod.GET, WIDGETS.formatted("a") + "/fin", null, null);
        // Plain deletes, a second delete (404), re-create, a collection delete by label.
        same(HttpMethod.DELETE, CM.formatted("a") + "/cm-5", null, null);
        same(HttpMethod.DELETE, CM.formatted("a") + "/cm-5", null, null);
        same(HttpMethod.GET, CM.formatted("a") + "/cm-5", null, null);
        same(HttpMethod.POST, CM.formatted("a"), configMap("cm-5", "a", "z", "again"), null);
        same(HttpMethod.DELETE, CM.formatted("b") + "?labelSelector=app%3Dy", null, null);
        same(HttpMethod.DELETE, "/api/v1/namespaces/a", null, null);
        reads();
        assertThat(transcript).hasSizeGreaterThan(100);
        for (int code : new int[] {200, 201, 202, 400, 404, 409}) {
            assertThat(transcript).as("some answer was " + code).anyMatch(t -> t.endsWith("-> " + code));
        }
    }

    @Test
    void theIndexIsRebuiltWhenTheMapIsWrittenBehindItsBack() {
        same(HttpMethod.POST, CM.formatted("a"), configMap("cm-1", "a", "x", "v"), null);
        AttributeSet key = new AttributeSet(new Attribute("plural", "configmaps"), new Attribute("namespace", "a"),
                new Attribute("name", "direct"), new Attribute("version", "v1"));
        String direct = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"direct\",\"namespace\":\"a\"}}";
        reference.getMap().put(key, direct);
        indexed.getMap().put(key, direct);
        same(HttpMethod.GET, CM.formatted("a") + "/direct", null, null);
        same(HttpMethod.GET, CM.formatted("a"), null, null);
        assertThat(indexed.indexInStepWithStore()).isTrue();
    }

    private void reads() {
        for (String ns : List.of("a", "b")) {
            same(HttpMethod.GET, CM.formatted(ns), null, null);
            same(HttpMethod.GET, WIDGETS.formatted(ns), null, null);
            same(HttpMethod.GET, CM.formatted(ns) + "?labelSelector=app%3Dx", null, null);
            same(HttpMethod.GET, CM.formatted(ns) + "?labelSelector=app!%3Dx", null, null);
            same(HttpMethod.GET, CM.formatted(ns) + "?labelSelector=tier", null, null);
            same(HttpMethod.GET, CM.formatted(ns) + "?labelSelector=!tier,app%3Dy", null, null);
            same(HttpMethod.GET, CM.formatted(ns) + "?fieldSelector=metadata.name%3Dcm-3", null, null);
            same(HttpMethod.GET, WIDGETS.formatted(ns) + "?labelSelector=size%3D1", null, null);
            for (int i = 0; i < 6; i++) {
                same(HttpMethod.GET, CM.formatted(ns) + "/cm-" + i, null, null);
                same(HttpMethod.GET, WIDGETS.formatted(ns) + "/w-" + i + "/status", null, null);
            }
            same(HttpMethod.GET, CM.formatted(ns) + "/missing", null, null);
        }
        same(HttpMethod.GET, "/api/v1/configmaps", null, null);
        same(HttpMethod.GET, "/apis/example.com/v1/widgets?labelSelector=size%3D2", null, null);
        same(HttpMethod.GET, "/api/v1/namespaces", null, null);
        same(HttpMethod.GET, "/api/v1/namespaces/a", null, null);
        same(HttpMethod.GET, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com", null, null);
        same(HttpMethod.GET, "/apis/example.com/v1", null, null);
    }

    private void same(HttpMethod method, String path, String body, String contentType) {
        MockResponse expected = reference.dispatch(request(method, path, body, contentType));
        MockResponse actual = indexed.dispatch(request(method, path, body, contentType));
        String what = method + " " + path;
        transcript.add(what + " -> " + expected.code());
        assertThat(actual.code()).as(what).isEqualTo(expected.code());
        assertThat(normalized(actual)).as(what).isEqualTo(normalized(expected));
        assertThat(indexed.indexInStepWithStore()).as("index in step after " + what).isTrue();
    }

    /** A delete that marks an object stamps a resourceVersion from the store's counter: equal in both, but checked. */
    private void sameIgnoringResourceVersion(HttpMethod method, String path) {
        same(method, path, null, null);
    }

    private String body(HttpMethod method, String path) {
        String expected = reference.dispatch(request(method, path, null, null)).getBody().readUtf8();
        String actual = indexed.dispatch(request(method, path, null, null)).getBody().readUtf8();
        assertThat(normalized(actual)).isEqualTo(normalized(expected));
        return expected;
    }

    private static JsonNode normalized(MockResponse response) {
        Buffer body = response.getBody();
        return normalized(body == null ? "" : body.readUtf8());
    }

    private static JsonNode normalized(String body) {
        JsonNode node;
        try {
            node = Json.JSON.readTree(body);
        } catch (Exception e) {
            return TextNode.valueOf(body);
        }
        strip(node);
        return node;
    }

    /** The uid is random and the timestamps come from the clock: the rest must be equal. */
    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.get("metadata") instanceof ObjectNode meta) {
                meta.remove(List.of("uid", "creationTimestamp", "deletionTimestamp"));
            }
            object.forEach(IndexedCrudDispatcherTest::strip);
        } else if (node != null && node.isArray()) {
            node.forEach(IndexedCrudDispatcherTest::strip);
        }
    }

    private static RecordedRequest request(HttpMethod method, String path, String body, String contentType) {
        Headers.Builder headers = Headers.builder();
        if (contentType != null) {
            headers.add("Content-Type", contentType);
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        return new RecordedRequest("HTTP/1.1", method, path, headers.build(), new Buffer(bytes));
    }

    private static String configMap(String name, String ns, String app, String value) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\",\"labels\":{\"app\":\"%s\"}},\"data\":{\"k\":\"%s\"}}"
                .formatted(name, ns, app, value);
    }

    private static String widget(String name, String ns, int size) {
        return ("{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\","
                + "\"labels\":{\"size\":\"%d\"}},\"spec\":{\"size\":%d},\"status\":{\"phase\":\"Pending\"}}")
                .formatted(name, ns, size % 3, size);
    }
}
