package io.kubeqpu.local.apiserver.validation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One invalid field, worded as kube-apiserver's {@code field.Error} so that kubectl prints what a real cluster would
 * print: {@code spec.shots: Invalid value: 0: spec.shots in body should be greater than or equal to 1}.
 *
 * @param field the path, e.g. {@code spec.pubs[0].circuit}; {@code <nil>} for the object root (as the API server
 *        prints a root-level CEL rule)
 * @param reason the {@code StatusCause} reason, e.g. {@code FieldValueInvalid}
 * @param body what follows {@code field: }, e.g. {@code Invalid value: "object": set backend, sessionRef or batchRef}
 */
public record FieldError(String field, String reason, String body) {
    public static final String ROOT = "<nil>";

    public static FieldError invalid(String field, String value, String detail) {
        return new FieldError(field, "FieldValueInvalid", "Invalid value: " + value + ": " + detail);
    }

    public static FieldError typeInvalid(String field, String value, String detail) {
        return new FieldError(field, "FieldValueTypeInvalid", "Invalid value: " + value + ": " + detail);
    }

    public static FieldError required(String field) {
        return new FieldError(field, "FieldValueRequired", "Required value");
    }

    public static FieldError notSupported(String field, String value, List<String> supported) {
        return new FieldError(field, "FieldValueNotSupported", "Unsupported value: " + value + ": supported values: "
                + supported.stream().collect(Collectors.joining(", ")));
    }

    public static FieldError tooLong(String field, long max) {
        return new FieldError(field, "FieldValueTooLong", "Too long: may not be more than " + max + " bytes");
    }

    public static FieldError tooMany(String field, int actual, long max) {
        return new FieldError(field, "FieldValueTooMany", "Too many: " + actual + ": must have at most " + max + " items");
    }

    /** The CEL rule's own reason ({@code reason:} in x-kubernetes-validations) decides the StatusCause reason. */
    public static FieldError rule(String field, String reason, String typeName, String message) {
        String body = switch (reason == null ? "FieldValueInvalid" : reason) {
            case "FieldValueForbidden" -> "Forbidden: " + message;
            case "FieldValueRequired" -> "Required value: " + message;
            case "FieldValueDuplicate" -> "Duplicate value: " + message;
            default -> "Invalid value: \"" + typeName + "\": " + message;
        };
        return new FieldError(field, reason == null ? "FieldValueInvalid" : reason, body);
    }

    @Override
    public String toString() {
        return field + ": " + body;
    }
}
