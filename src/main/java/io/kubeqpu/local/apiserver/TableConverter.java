package io.kubeqpu.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-side printing: a list or an object answered as a {@code meta.k8s.io/v1 Table} when the client asks for
 * {@code as=Table} (kubectl get does), with the CRD's additionalPrinterColumns, so {@code kubectl get qjob} shows
 * Phase, Backend, ... like on a real cluster. Built-ins and CRDs without columns get Name and Age.
 */
final class TableConverter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final Clock clock;

    TableConverter(Clock clock) {
        this.clock = clock;
    }

    /** Whether the Accept header asks for a Table (kubectl: {@code application/json;as=Table;v=v1;g=meta.k8s.io,...}). */
    static boolean wantsTable(String accept) {
        return accept != null && accept.contains("as=Table");
    }

    /**
     * @param listOrObject a list ({@code items}) or a single object
     * @param columns the CRD's printer columns, or empty for Name and Age
     * @param includeObject the request's includeObject: None, Object or (default) Metadata
     */
    ObjectNode toTable(JsonNode listOrObject, List<CustomResourceColumnDefinition> columns, String includeObject) {
        ObjectNode table = F.objectNode();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        ObjectNode metadata = table.putObject("metadata");
        JsonNode listMeta = listOrObject.path("metadata");
        if (listOrObject.has("items") && listMeta.has("resourceVersion")) {
            metadata.set("resourceVersion", listMeta.get("resourceVersion"));
        }
        List<CustomResourceColumnDefinition> cols = effectiveColumns(columns);
        ArrayNode defs = table.putArray("columnDefinitions");
        defs.add(column("Name", "string", "name", "Name must be unique within a namespace.", 0));
        for (CustomResourceColumnDefinition c : cols) {
            defs.add(column(c.getName(), c.getType(), c.getFormat() == null ? "" : c.getFormat(),
                    c.getDescription() == null ? "" : c.getDescription(),
                    c.getPriority() == null ? 0 : c.getPriority()));
        }
        ArrayNode rows = table.putArray("rows");
        List<JsonNode> objects = new ArrayList<>();
        if (listOrObject.has("items")) {
            listOrObject.get("items").forEach(objects::add);
        } else {
            objects.add(listOrObject);
        }
        for (JsonNode object : objects) {
            rows.add(row(object, cols, includeObject));
        }
        return table;
    }

    private static List<CustomResourceColumnDefinition> effectiveColumns(List<CustomResourceColumnDefinition> columns) {
        if (columns != null && !columns.isEmpty()) {
            return columns;
        }
        CustomResourceColumnDefinition age = new CustomResourceColumnDefinition();
        age.setName("Age");
        age.setType("date");
        age.setJsonPath(".metadata.creationTimestamp");
        return List.of(age);
    }

    private ObjectNode row(JsonNode object, List<CustomResourceColumnDefinition> cols, String includeObject) {
        ObjectNode row = F.objectNode();
        ArrayNode cells = row.putArray("cells");
        cells.add(object.path("metadata").path("name").asText());
        for (CustomResourceColumnDefinition c : cols) {
            cells.add(cell(SimpleJsonPath.read(object, c.getJsonPath()), c.getType()));
        }
        if ("Object".equals(includeObject)) {
            row.set("object", object);
        } else if (!"None".equals(includeObject)) {
            ObjectNode partial = F.objectNode();
            partial.put("kind", "PartialObjectMetadata");
            partial.put("apiVersion", "meta.k8s.io/v1");
            partial.set("metadata", object.path("metadata"));
            row.set("object", partial);
        }
        return row;
    }

    /** Dates print as ages, as the API server's CRD table convertor does; absent values are null (kubectl: none). */
    private JsonNode cell(JsonNode value, String type) {
        if (value == null) {
            return F.nullNode();
        }
        if ("date".equals(type) && value.isTextual()) {
            try {
                OffsetDateTime t = OffsetDateTime.parse(value.asText());
                return F.textNode(HumanDuration.of(Duration.between(t.toInstant(), clock.instant())));
            } catch (DateTimeParseException e) {
                return value;
            }
        }
        if (value.isContainerNode()) {
            return F.textNode(value.toString());
        }
        return value;
    }

    private static ObjectNode column(String name, String type, String format, String description, int priority) {
        ObjectNode c = F.objectNode();
        c.put("name", name);
        c.put("type", type);
        c.put("format", format);
        c.put("description", description);
        c.put("priority", priority);
        return c;
    }
}
