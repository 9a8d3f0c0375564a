package io.kubeqpu.local.apiserver.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;

/**
 * What kube-apiserver does to a custom resource before storing it, in its order: prune unknown fields, apply
 * defaults, check the OpenAPI schema, then run the CEL rules (only when the schema check passed: CEL over mistyped
 * data would only add noise). A write to the status subresource is checked against the status schema only; a write
 * to the main resource of a kind with a status subresource leaves status out (the server keeps the stored status).
 */
public final class CustomResourceValidator {
    private CustomResourceValidator() {
    }

    /** Which part of the object a request may change. */
    public enum Scope {
        /** A kind without status subresource: the whole object. */
        WHOLE_OBJECT,
        /** The main resource of a kind with a status subresource: everything but status. */
        MAIN_RESOURCE,
        /** The {@code /status} subresource: status only. */
        STATUS
    }

    /**
     * @param object the object to admit, pruned and defaulted in place
     * @param prunedFields the unknown fields that were dropped (an error under fieldValidation=Strict)
     * @param errors schema and CEL violations; empty when the object may be stored
     */
    public record Admission(ObjectNode object, List<String> prunedFields, List<FieldError> errors) {
        public boolean allowed() {
            return errors.isEmpty();
        }
    }

    /**
     * @param object the new object (modified in place: pruned, defaulted)
     * @param old the stored object on update, {@code null} on create
     * @param schema the version's openAPIV3Schema
     */
    public static Admission admit(ObjectNode object, ObjectNode old, JSONSchemaProps schema, Scope scope) {
        List<String> pruned = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        if (scope == Scope.STATUS) {
            JSONSchemaProps statusSchema = schema.getProperties() == null ? null : schema.getProperties().get("status");
            JsonNode status = object.get("status");
            if (statusSchema != null && status instanceof ObjectNode statusObject) {
                ObjectNode wrapper = object.objectNode().set("status", statusObject);
                JSONSchemaProps wrapperSchema = new JSONSchemaProps();
                wrapperSchema.setType("object");
                wrapperSchema.setProperties(java.util.Map.of("status", statusSchema));
                pruned.addAll(Pruner.prune(wrapper, wrapperSchema));
                Defaulter.apply(wrapper, wrapperSchema);
                SchemaChecker.check(statusObject, statusSchema, "status", false, errors);
                if (errors.isEmpty()) {
                    CelValidator.validate(statusObject, old == null ? null : old.get("status"), statusSchema, "status", errors);
                }
            }
            return new Admission(object, pruned, errors);
        }
        JsonNode keptStatus = scope == Scope.MAIN_RESOURCE ? object.remove("status") : null;
        pruned.addAll(Pruner.prune(object, schema));
        Defaulter.apply(object, schema);
        SchemaChecker.check(object, schema, "", true, errors);
        if (errors.isEmpty()) {
            ObjectNode oldView = old;
            if (scope == Scope.MAIN_RESOURCE && old != null) {
                oldView = old.deepCopy();
                oldView.remove("status");
            }
            CelValidator.validate(object, oldView, schema, "", errors);
        }
        if (keptStatus != null) {
            object.set("status", keptStatus);
        }
        return new Admission(object, pruned, errors);
    }
}
