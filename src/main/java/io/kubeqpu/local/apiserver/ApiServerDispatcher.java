package io.kubeqpu.local.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import io.kubeqpu.local.apiserver.validation.CelRule;
import io.kubeqpu.local.apiserver.validation.CustomResourceValidator;
import io.kubeqpu.local.apiserver.validation.CustomResourceValidator.Admission;
import io.kubeqpu.local.apiserver.validation.CustomResourceValidator.Scope;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The embedded API server's request handling: Fabric8's CRUD store underneath, and in front of it what kubectl and
 * kube-apiserver semantics need — version, discovery and OpenAPI v3 from the installed CRDs, Table answers with the
 * CRDs' printer columns, field selectors on lists, NotFound/Invalid Status bodies, and every create/update/patch of a
 * custom resource pruned, defaulted and validated (OpenAPI schema and CEL rules) before it reaches the store.
 * See docs/embedded.md for what it does not do.
 */
public class ApiServerDispatcher extends IndexedCrudDispatcher {
    static final String SMP = "application/strategic-merge-patch+json";
    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String JSON_PATCH = "application/json-patch+json";
    static final String APPLY_PATCH = "application/apply-patch+yaml";
    private static final String CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

    private final ObjectMapper mapper = new ObjectMapper();
    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final CrdRegistry crds = new CrdRegistry();
    private final Discovery discovery = new Discovery(crds, "127.0.0.1");
    private final OpenApiV3 openApi = new OpenApiV3(crds, mapper);
    private final TableConverter tables;
    private final HttpWatches httpWatches = new HttpWatches(mapper);

    public ApiServerDispatcher() {
        this(Clock.systemUTC());
    }

    public ApiServerDispatcher(Clock clock) {
        this.tables = new TableConverter(clock);
        // Requests run on the HTTP server's event loop: pay the first-use cost of cel-java and of the Kubernetes
        // serialization here rather than block the first kubectl request for seconds.
        CelRule.compile("has(self.spec)");
        serialization.asJson(new CustomResourceDefinition());
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        RequestTarget target = RequestTarget.parse(request.getPath());
        try {
            if (request.method() == HttpMethod.POST && request.getPath().startsWith(SELF_SUBJECT_RULES_REVIEW)) {
                return selfSubjectRulesReview(request);
            }
            if (!target.isResource()) {
                return request.method() == HttpMethod.GET ? nonResource(request, target) : super.dispatch(request);
            }
            Optional<CustomResourceDefinition> crd = crds.find(target.group(), target.plural());
            String dryRun = target.query().get("dryRun");
            if (dryRun == null && request.method() == HttpMethod.DELETE) dryRun = deleteOptionsDryRun(request);
            if (dryRun != null && request.method() != HttpMethod.GET) {
                // kubectl diff and apply --dry-run=server: validated and answered, never stored.
                if (!dryRun.equals("All")) throw new BadRequest("dryRun: Unsupported value: \"" + dryRun + "\": supported values: \"All\"");
                if (request.method() == HttpMethod.DELETE || crd.isEmpty()) return withStatusBody(dryRunWithoutSchema(request, target), target);
            }
            MockResponse response = switch (request.method()) {
                case POST -> crd.isPresent() ? create(request, target, crd.get()) : super.dispatch(request);
                case PUT -> crd.isPresent() ? update(request, target, crd.get()) : super.dispatch(request);
                case PATCH -> patch(request, target, crd);
                case GET -> get(request, target, crd);
                default -> super.dispatch(request);
            };
            return withStatusBody(response, target);
        } catch (BadRequest e) {
            return ApiStatus.of(400, "BadRequest", e.getMessage());
        }
    }

    static final String SELF_SUBJECT_RULES_REVIEW = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

    /**
     * This server enforces no RBAC (docs/embedded.md), so it says so when asked: everything is allowed. JOSDK's
     * leader election asks before it takes a Lease.
     */
    private MockResponse selfSubjectRulesReview(RecordedRequest request) {
        var review = serialization.unmarshal(request.getBody().readUtf8(),
                io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview.class);
        review.setStatus(new io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder()
                .addNewResourceRule().withApiGroups("*").withResources("*").withVerbs("*").endResourceRule()
                .addNewNonResourceRule().withNonResourceURLs("*").withVerbs("*").endNonResourceRule()
                .withIncomplete(false).build());
        return new MockResponse().setResponseCode(201).setBody(serialization.asJson(review));
    }

    /** Keeps the CRD registry in step with the store: every CRD write passes here, under the store's write lock. */
    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
            GenericKubernetesResource resource, String newState) {
        String before = oldAttributes == null ? null : map.get(oldAttributes);
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
        httpWatches.publish(RequestTarget.parse(path), before, newState);
        if (path.startsWith(CRD_PATH)) {
            if (newState != null) {
                crds.put(serialization.unmarshal(newState, CustomResourceDefinition.class));
            } else {
                String name = RequestTarget.parse(path).name();
                if (name != null) {
                    crds.remove(name);
                }
            }
        }
    }

    /**
     * Opens a plain-HTTP watch (see {@link HttpWatches}); events are rendered as Tables when kubectl asks for them
     * ({@code get -w}).
     */
    public void openHttpWatch(String uri, String accept, WatchSink sink) {
        RequestTarget target = RequestTarget.parse(uri);
        if (!target.isResource()) {
            sink.close();
            return;
        }
        Optional<CustomResourceDefinition> crd = crds.find(target.group(), target.plural());
        var columns = crd.flatMap(c -> CrdRegistry.version(c, target.version()))
                .map(CustomResourceDefinitionVersion::getAdditionalPrinterColumns).orElse(List.of());
        String includeObject = target.query().get("includeObject");
        java.util.function.Function<JsonNode, JsonNode> render = TableConverter.wantsTable(accept)
                ? o -> tables.toTable(o, columns, includeObject) : o -> o;
        Iterable<JsonNode> existing = List.of();
        if (!HttpWatches.fromNow(target.query())) {
            String list = target.collectionPath();
            MockResponse current = super.handleGet(list);
            existing = current.code() == 200 ? HttpWatches.items(parse(current.getBody().readUtf8())) : List.of();
        }
        httpWatches.open(target, existing, render, sink, deletedSince(target));
    }

    /**
     * This store keeps no event history, so a watch resumed from a resourceVersion would miss a deletion that
     * happened between the client's read and its watch (kubectl delete's wait does exactly that, racing the
     * operator's finalizer removal). For a watch on one named object that no longer exists, the DELETED event the
     * real API server would replay is sent at once; null otherwise.
     */
    private JsonNode deletedSince(RequestTarget target) {
        if (!HttpWatches.fromNow(target.query())) return null;
        String name = target.watchedName();
        if (name == null) return null;
        if (super.handleGet(target.collectionPath() + "/" + name).code() != 404) return null;
        // Clients decode the event's object by its kind: only for our custom resources, whose kind the CRD names.
        String kind = crds.find(target.group(), target.plural()).map(c -> c.getSpec().getNames().getKind()).orElse(null);
        if (kind == null) return null;
        var gone = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        gone.put("kind", kind);
        gone.put("apiVersion", target.group() == null || target.group().isEmpty() ? target.version() : target.group() + "/" + target.version());
        var meta = gone.putObject("metadata");
        meta.put("name", name);
        if (target.namespace() != null) meta.put("namespace", target.namespace());
        meta.put("resourceVersion", target.query().get("resourceVersion"));
        return gone;
    }

    public void closeHttpWatches() {
        httpWatches.closeAll();
    }

    private MockResponse nonResource(RecordedRequest request, RequestTarget target) {
        String path = target.path();
        if (path.equals("/version")) {
            return json(200, mapper.createObjectNode().put("major", "1").put("minor", "32")
                    .put("gitVersion", "v1.32.0-kubeqpu-embedded").put("platform", "java/embedded"));
        }
        if (OpenApiV3.isRequest(path)) {
            if (path.equals("/openapi/v3")) {
                return json(200, openApi.index());
            }
            String[] s = path.split("/");
            if (s.length == 6 && s[3].equals("apis")) {
                Optional<ObjectNode> doc = openApi.document(s[4], s[5]);
                if (doc.isPresent()) {
                    return json(200, doc.get());
                }
            }
            return ApiStatus.of(404, "NotFound", "the server could not find the requested resource");
        }
        Optional<Object> doc = discovery.document(path);
        if (doc.isPresent()) {
            // Plain JSON even when asked for aggregated discovery: kubectl then falls back to these documents.
            return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                    .setBody(serialization.asJson(doc.get()));
        }
        if (path.startsWith("/openapi/") || path.equals("/apis") || path.startsWith("/api")) {
            return ApiStatus.of(404, "NotFound", "the server could not find the requested resource");
        }
        return super.dispatch(request);
    }

    private MockResponse create(RecordedRequest request, RequestTarget target, CustomResourceDefinition crd) {
        ObjectNode object = parseObject(request.getUtf8Body());
        return admitAndForward(request, target, crd, object, null, HttpMethod.POST, target.path());
    }

    private MockResponse update(RecordedRequest request, RequestTarget target, CustomResourceDefinition crd) {
        Optional<ObjectNode> current = stored(target);
        if (current.isEmpty()) {
            return ApiStatus.notFound(target.group(), target.plural(), target.name());
        }
        ObjectNode incoming = parseObject(request.getUtf8Body());
        return admitAndForward(request, target, crd, incoming, current.get(), HttpMethod.PUT, target.path());
    }

    /**
     * A patch is applied here to compute the object the store would hold, which is then validated like an update and
     * stored with a PUT. Strategic merge patch is refused for custom resources with 415, as kube-apiserver does; for
     * built-in kinds it is applied as a merge patch (the same result for maps; lists are replaced, not merged by key).
     */
    private MockResponse patch(RecordedRequest request, RequestTarget target, Optional<CustomResourceDefinition> crd) {
        String contentType = mediaType(request.getHeader("Content-Type"));
        if (crd.isEmpty()) {
            if (SMP.equals(contentType)) {
                return super.dispatch(withBody(request, HttpMethod.PATCH, request.getPath(), request.getUtf8Body(),
                        MERGE_PATCH));
            }
            return super.dispatch(request);
        }
        if (!MERGE_PATCH.equals(contentType) && !JSON_PATCH.equals(contentType)) {
            String message = APPLY_PATCH.equals(contentType)
                    ? "server-side apply is not supported by the kubeqpu embedded API server; use client-side apply"
                    : "the body of the request was in an unknown format - accepted media types include: "
                            + JSON_PATCH + ", " + MERGE_PATCH;
            return ApiStatus.of(415, "UnsupportedMediaType", message);
        }
        Optional<ObjectNode> current = stored(target);
        if (current.isEmpty()) {
            return ApiStatus.notFound(target.group(), target.plural(), target.name());
        }
        JsonNode patch = parse(request.getUtf8Body());
        JsonNode patched;
        try {
            patched = JSON_PATCH.equals(contentType) ? JsonPatch.apply(patch, current.get())
                    : JsonMergePatch.apply(current.get(), patch);
        } catch (RuntimeException e) {
            return ApiStatus.of(422, "Invalid", "the server rejected our request due to an error in our request: "
                    + e.getMessage());
        }
        if (!(patched instanceof ObjectNode patchedObject)) {
            throw new BadRequest("the patch does not result in an object");
        }
        return admitAndForward(request, target, crd.get(), patchedObject, current.get(), HttpMethod.PUT, target.path());
    }

    private MockResponse admitAndForward(RecordedRequest request, RequestTarget target, CustomResourceDefinition crd,
            ObjectNode object, ObjectNode old, HttpMethod method, String path) {
        CustomResourceDefinitionVersion version = CrdRegistry.version(crd, target.version()).orElse(null);
        if (version == null || version.getSchema() == null || version.getSchema().getOpenAPIV3Schema() == null) {
            return super.dispatch(withBody(request, method, request.getPath(), object.toString(), null));
        }
        Scope scope = target.isStatus() ? Scope.STATUS
                : CrdRegistry.hasStatusSubresource(version) ? Scope.MAIN_RESOURCE : Scope.WHOLE_OBJECT;
        Admission admission = CustomResourceValidator.admit(object, old, version.getSchema().getOpenAPIV3Schema(), scope);
        String kind = crd.getSpec().getNames().getKind();
        String name = object.path("metadata").path("name").asText(target.name() == null ? "" : target.name());
        String fieldValidation = target.query().getOrDefault("fieldValidation", "");
        if (!admission.prunedFields().isEmpty() && fieldValidation.equals("Strict")) {
            // Decoding comes before validation in kube-apiserver, so unknown fields are reported first, in its words.
            return ApiStatus.of(400, "BadRequest", kind + " in version \"" + target.version() + "\" cannot be handled as a "
                    + kind + ": strict decoding error: " + admission.prunedFields().stream()
                            .map(f -> "unknown field \"" + f + "\"").collect(Collectors.joining(", ")));
        }
        List<io.kubeqpu.local.apiserver.validation.FieldError> nameErrors = method == HttpMethod.POST && old == null ? nameErrors(name) : List.of();
        if (!admission.allowed() || !nameErrors.isEmpty()) {
            List<io.kubeqpu.local.apiserver.validation.FieldError> errors = new java.util.ArrayList<>(nameErrors);
            errors.addAll(admission.errors());
            return ApiStatus.invalid(kind, crd.getSpec().getGroup(), name, errors);
        }
        if (target.query().containsKey("dryRun")) return dryRunAnswer(object, old, method);
        String query = request.getPath().contains("?") ? request.getPath().substring(request.getPath().indexOf('?')) : "";
        MockResponse response = super.dispatch(withBody(request, method, path + query, object.toString(), null));
        if (response.code() == 200 && (response.getBody() == null || response.getBody().size() == 0)) {
            // The store answers an update that removed the last finalizer of a deleted object with no body;
            // kube-apiserver returns the object, and clients (JOSDK among them) expect one.
            response.setBody(object.toString());
        }
        if (!admission.prunedFields().isEmpty() && fieldValidation.equals("Warn")) {
            admission.prunedFields().forEach(f -> response.addHeader("Warning", "299 - \"unknown field \\\"" + f + "\\\"\""));
        }
        return response;
    }

    private static final java.util.regex.Pattern DNS_SUBDOMAIN =
            java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /**
     * kube-apiserver's name rule for custom resources (a DNS-1123 subdomain of at most 253 characters), in its words: a
     * Bad_Name or a 254-character name was stored here, and what the operator derives from it failed later (issue 15).
     */
    static List<io.kubeqpu.local.apiserver.validation.FieldError> nameErrors(String name) {
        List<io.kubeqpu.local.apiserver.validation.FieldError> errors = new java.util.ArrayList<>();
        if (name == null || name.isEmpty()) return errors; // generateName, or the store's own "name required"
        if (name.length() > 253) errors.add(io.kubeqpu.local.apiserver.validation.FieldError.invalid("metadata.name", "\"" + name + "\"",
                "must be no more than 253 characters"));
        if (!DNS_SUBDOMAIN.matcher(name).matches()) errors.add(io.kubeqpu.local.apiserver.validation.FieldError.invalid("metadata.name", "\"" + name + "\"",
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end "
                        + "with an alphanumeric character (e.g. 'example.com', regex used for validation is "
                        + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
        return errors;
    }

    /** kubectl delete --dry-run=server sends DeleteOptions {dryRun: [All]} in the body, not in the query. */
    private String deleteOptionsDryRun(RecordedRequest request) {
        String body = request.getBody() == null ? "" : request.getUtf8Body();
        if (body == null || body.isBlank()) return null;
        JsonNode options = parse(body);
        JsonNode d = options.path("dryRun");
        return d.isArray() && !d.isEmpty() ? d.get(0).asText() : null;
    }

    /** What a write would return, admitted (pruned, defaulted, validated) but not stored: the old object's identity kept. */
    private static MockResponse dryRunAnswer(ObjectNode object, ObjectNode old, HttpMethod method) {
        ObjectNode out = object.deepCopy();
        ObjectNode meta = out.has("metadata") && out.get("metadata") instanceof ObjectNode m ? m : out.putObject("metadata");
        if (old != null) {
            for (String f : List.of("uid", "resourceVersion", "creationTimestamp", "generation"))
                if (old.path("metadata").has(f)) meta.set(f, old.path("metadata").get(f));
            boolean specChanged = !old.path("spec").equals(out.path("spec"));
            if (specChanged && old.path("metadata").has("generation")) meta.put("generation", old.path("metadata").path("generation").asLong() + 1);
        } else {
            meta.put("creationTimestamp", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            meta.put("generation", 1);
            meta.put("uid", java.util.UUID.randomUUID().toString());
        }
        return json(method == HttpMethod.POST ? 201 : 200, out);
    }

    /** Dry runs of built-in kinds (no schema here) and of deletes: the would-be object, nothing stored or removed. */
    private MockResponse dryRunWithoutSchema(RecordedRequest request, RequestTarget target) {
        HttpMethod method = request.method();
        if (method == HttpMethod.POST) return dryRunAnswer(parseObject(request.getUtf8Body()), null, method);
        Optional<ObjectNode> current = stored(target);
        if (current.isEmpty()) return ApiStatus.notFound(target.group(), target.plural(), target.name());
        if (method == HttpMethod.DELETE) return json(200, current.get());
        if (method == HttpMethod.PUT) return dryRunAnswer(parseObject(request.getUtf8Body()), current.get(), method);
        String contentType = mediaType(request.getHeader("Content-Type"));
        JsonNode patch = parse(request.getUtf8Body());
        JsonNode patched = JSON_PATCH.equals(contentType) ? JsonPatch.apply(patch, current.get()) : JsonMergePatch.apply(current.get(), patch);
        if (!(patched instanceof ObjectNode o)) throw new BadRequest("the patch does not result in an object");
        return dryRunAnswer(o, current.get(), method);
    }

    private MockResponse get(RecordedRequest request, RequestTarget target, Optional<CustomResourceDefinition> crd) {
        if (target.isWatch()) {
            return super.dispatch(request);
        }
        String fieldSelector = target.query().get("fieldSelector");
        MockResponse response;
        if (target.name() == null && fieldSelector != null) {
            response = super.handleGet(withoutParam(request.getPath(), "fieldSelector"));
            response = filterItems(response, new FieldSelector(fieldSelector), target);
        } else {
            response = super.dispatch(request);
        }
        if (response.code() != 200 || !TableConverter.wantsTable(request.getHeader("Accept"))) {
            return response;
        }
        JsonNode body = parse(response.getBody().readUtf8());
        var columns = crd.flatMap(c -> CrdRegistry.version(c, target.version()))
                .map(CustomResourceDefinitionVersion::getAdditionalPrinterColumns).orElse(List.of());
        return json(200, tables.toTable(body, columns, target.query().get("includeObject")));
    }

    private MockResponse filterItems(MockResponse response, FieldSelector selector, RequestTarget target) {
        if (response.code() != 200) {
            return response;
        }
        JsonNode list = parse(response.getBody().readUtf8());
        if (list.get("items") instanceof ArrayNode items) {
            ArrayNode kept = items.arrayNode();
            items.forEach(i -> {
                if (selector.matches(i)) {
                    kept.add(i);
                }
            });
            ((ObjectNode) list).set("items", kept);
            // The store answers kind List; a typed client (kubectl describe reading an object's Events) decodes only
            // its own list kind and otherwise shows "Events: <none>".
            if ("List".equals(list.path("kind").asText())) {
                String itemKind = "events".equals(target.plural()) ? "Event" : kept.isEmpty() ? null : kept.get(0).path("kind").asText(null);
                if (itemKind != null) ((ObjectNode) list).put("kind", itemKind + "List");
            }
        }
        return json(200, list);
    }

    /** The CRUD store answers 404 with an empty body; kubectl prints a real server's NotFound Status. */
    private static MockResponse withStatusBody(MockResponse response, RequestTarget target) {
        boolean empty = response.getBody() == null || response.getBody().size() == 0;
        if (response.code() == 404 && empty && target.name() != null) {
            return ApiStatus.notFound(target.group(), target.plural(), target.name());
        }
        return response;
    }

    private Optional<ObjectNode> stored(RequestTarget target) {
        MockResponse current = super.handleGet(target.objectPath());
        if (current.code() != 200) {
            return Optional.empty();
        }
        return Optional.of((ObjectNode) parse(current.getBody().readUtf8()));
    }

    private ObjectNode parseObject(String body) {
        if (!(parse(body) instanceof ObjectNode object)) {
            throw new BadRequest("the request body is not a JSON object");
        }
        return object;
    }

    private JsonNode parse(String body) {
        try {
            return mapper.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new BadRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static RecordedRequest withBody(RecordedRequest original, HttpMethod method, String path, String body,
            String contentType) {
        var headers = original.getHeaders().newBuilder();
        if (contentType != null) {
            headers.set("Content-Type", contentType);
        }
        return new RecordedRequest(original.getHttpVersion(), method, path, headers.build(),
                new Buffer(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String withoutParam(String uri, String param) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return uri;
        }
        String kept = java.util.Arrays.stream(uri.substring(q + 1).split("&"))
                .filter(p -> !p.startsWith(param + "=")).collect(Collectors.joining("&"));
        return uri.substring(0, q) + (kept.isEmpty() ? "" : "?" + kept);
    }

    private static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase();
    }

    private static MockResponse json(int code, JsonNode body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }

    /** A request the API server would answer 400 to (unparseable body, patch that yields no object). */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
