package io.kubeqpu.local.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.List;
import java.util.Optional;

/**
 * OpenAPI v3 built from the installed CRDs' schemas, for {@code kubectl explain} and for kubectl's apply logic: the
 * PATCH operation of each custom resource declares the {@code fieldValidation} query parameter (so kubectl leaves
 * validation to the server instead of downloading OpenAPI v2) and lists only JSON, merge and apply patches (so kubectl
 * apply sends a merge patch, as it does to a real server for custom resources). Built-in kinds are not described.
 */
final class OpenApiV3 {
    private static final List<String> PATCH_TYPES = List.of("application/json-patch+json",
            "application/merge-patch+json", "application/apply-patch+yaml");
    private final CrdRegistry crds;
    private final ObjectMapper mapper;

    OpenApiV3(CrdRegistry crds, ObjectMapper mapper) {
        this.crds = crds;
        this.mapper = mapper;
    }

    /** {@code /openapi/v3}: one entry per served group/version of a CRD. */
    ObjectNode index() {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode paths = root.putObject("paths");
        for (CustomResourceDefinition crd : crds.all()) {
            for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
                String gv = "apis/" + crd.getSpec().getGroup() + "/" + v.getName();
                String hash = Integer.toHexString(groupVersion(crd.getSpec().getGroup(), v.getName()).hashCode());
                paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + hash);
            }
        }
        return root;
    }

    /** {@code /openapi/v3/apis/<group>/<version>}, or empty when no CRD serves it. */
    Optional<ObjectNode> document(String group, String version) {
        ObjectNode doc = groupVersion(group, version);
        return doc.get("components").get("schemas").isEmpty() ? Optional.empty() : Optional.of(doc);
    }

    private ObjectNode groupVersion(String group, String version) {
        ObjectNode doc = mapper.createObjectNode();
        doc.put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes (kubeqpu embedded API server)").put("version", "v1.32.0");
        ObjectNode paths = doc.putObject("paths");
        ObjectNode schemas = doc.putObject("components").putObject("schemas");
        for (CustomResourceDefinition crd : crds.all()) {
            if (!crd.getSpec().getGroup().equals(group)) {
                continue;
            }
            Optional<CustomResourceDefinitionVersion> v = CrdRegistry.version(crd, version);
            if (v.isEmpty() || v.get().getSchema() == null) {
                continue;
            }
            var names = crd.getSpec().getNames();
            String schemaName = reverseDomain(group) + "." + version + "." + names.getKind();
            ObjectNode schema = objectSchema(v.get().getSchema().getOpenAPIV3Schema());
            schema.putArray("x-kubernetes-group-version-kind").addObject()
                    .put("group", group).put("kind", names.getKind()).put("version", version);
            schemas.set(schemaName, schema);
            boolean namespaced = "Namespaced".equals(crd.getSpec().getScope());
            String base = "/apis/" + group + "/" + version + (namespaced ? "/namespaces/{namespace}/" : "/")
                    + names.getPlural() + "/{name}";
            paths.set(base, itemPath(group, version, names.getKind(), schemaName));
        }
        return doc;
    }

    /** The CRD schema plus the fields every object has, as the API server publishes it. */
    private ObjectNode objectSchema(Object openApiV3Schema) {
        ObjectNode schema = mapper.valueToTree(openApiV3Schema);
        ObjectNode props = schema.has("properties") ? (ObjectNode) schema.get("properties") : schema.putObject("properties");
        props.putObject("apiVersion").put("type", "string").put("description",
                "APIVersion defines the versioned schema of this representation of an object.");
        props.putObject("kind").put("type", "string").put("description",
                "Kind is a string value representing the REST resource this object represents.");
        props.putObject("metadata").put("type", "object").put("description",
                "Standard object's metadata (name, namespace, labels, annotations, ...).");
        return schema;
    }

    private ObjectNode itemPath(String group, String version, String kind, String schemaName) {
        ObjectNode item = mapper.createObjectNode();
        ObjectNode ref = mapper.createObjectNode().put("$ref", "#/components/schemas/" + schemaName);
        ObjectNode get = item.putObject("get");
        gvk(get, group, version, kind).put("x-kubernetes-action", "get");
        get.putObject("responses").putObject("200").put("description", "OK").putObject("content")
                .putObject("application/json").set("schema", ref);
        ObjectNode patch = item.putObject("patch");
        gvk(patch, group, version, kind).put("x-kubernetes-action", "patch");
        ArrayNode params = patch.putArray("parameters");
        for (String p : List.of("dryRun", "fieldManager", "fieldValidation", "force")) {
            params.addObject().put("name", p).put("in", "query").putObject("schema").put("type", "string");
        }
        ObjectNode content = patch.putObject("requestBody").putObject("content");
        for (String type : PATCH_TYPES) {
            content.putObject(type).putObject("schema").put("type", "object");
        }
        patch.putObject("responses").putObject("200").put("description", "OK");
        return item;
    }

    private static ObjectNode gvk(ObjectNode operation, String group, String version, String kind) {
        operation.putObject("x-kubernetes-group-version-kind").put("group", group).put("version", version)
                .put("kind", kind);
        return operation;
    }

    /** quantum.kubeqpu.io → io.kubeqpu.quantum, the API server's naming of CRD schemas. */
    private static String reverseDomain(String group) {
        String[] parts = group.split("\\.");
        StringBuilder b = new StringBuilder();
        for (int i = parts.length - 1; i >= 0; i--) {
            b.append(parts[i]).append(i > 0 ? "." : "");
        }
        return b.toString();
    }

    static boolean isRequest(String path) {
        return path.equals("/openapi/v3") || path.startsWith("/openapi/v3/");
    }

}
