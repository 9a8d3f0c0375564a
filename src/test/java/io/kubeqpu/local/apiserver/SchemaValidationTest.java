package io.kubeqpu.local.apiserver;

import static io.kubeqpu.local.apiserver.CelRulesTest.BACKEND;
import static io.kubeqpu.local.apiserver.CelRulesTest.JOB;
import static io.kubeqpu.local.apiserver.CelRulesTest.SESSION;
import static io.kubeqpu.local.apiserver.Json.with;
import static io.kubeqpu.local.apiserver.Json.without;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeqpu.local.apiserver.validation.CustomResourceValidator;
import io.kubeqpu.local.apiserver.validation.CustomResourceValidator.Admission;
import io.kubeqpu.local.apiserver.validation.CustomResourceValidator.Scope;
import io.kubeqpu.local.apiserver.validation.FieldError;
import org.junit.jupiter.api.Test;

/** The OpenAPI side of admission: types, bounds, required, enum, pattern, lengths, items, defaults, pruning. */
class SchemaValidationTest {
    private static Admission admit(String kind, ObjectNode object) {
        return CustomResourceValidator.admit(object.deepCopy(), null, CrdFiles.schema(kind), Scope.MAIN_RESOURCE);
    }

    @Test
    void wrongType() {
        assertThat(admit("QuantumJob", with(JOB, "spec.shots", "'many'")).errors()).containsExactly(
                new FieldError("spec.shots", "FieldValueTypeInvalid",
                        "Invalid value: \"string\": spec.shots in body must be of type integer: \"string\""));
        assertThat(admit("QuantumJob", with(JOB, "spec.shots", "1.5")).errors()).extracting(FieldError::reason)
                .containsExactly("FieldValueTypeInvalid");
        assertThat(admit("QuantumJob", with(JOB, "spec.shots", "100.0")).errors()).as("1.0 is an integer in JSON").isEmpty();
    }

    @Test
    void outOfRange() {
        assertThat(admit("QuantumJob", with(JOB, "spec.shots", "10000001")).errors()).extracting(FieldError::toString)
                .containsExactly("spec.shots: Invalid value: 10000001: spec.shots in body should be less than or equal to 10000000");
        assertThat(admit("QuantumJob", with(JOB, "spec.precision", "0")).errors()).extracting(FieldError::toString)
                .containsExactly("spec.precision: Invalid value: 0: spec.precision in body should be greater than 0");
    }

    @Test
    void missingRequired() {
        assertThat(admit("QuantumJob", without(JOB, "spec.primitive")).errors())
                .containsExactly(FieldError.required("spec.primitive"));
        assertThat(admit("QuantumJob", without(JOB, "spec.pubs"))
                .errors()).contains(FieldError.required("spec.pubs"));
        assertThat(admit("QuantumJob", with(JOB, "spec.pubs", "[{shots: 5}]")).errors())
                .containsExactly(FieldError.required("spec.pubs[0].circuit"));
    }

    @Test
    void enumValues() {
        assertThat(admit("QuantumJob", with(JOB, "spec.primitive", "sample")).errors()).extracting(FieldError::toString)
                .containsExactly("spec.primitive: Unsupported value: \"sample\": supported values: \"estimator\", \"sampler\"");
    }

    @Test
    void patternsAndLengths() {
        assertThat(admit("QuantumJob", with(JOB, "spec.backend", "Sim_Eagle")).errors()).extracting(FieldError::body)
                .singleElement().asString().startsWith("Invalid value: \"Sim_Eagle\": spec.backend in body should match '^[a-z0-9]");
        assertThat(admit("QuantumJob", with(JOB, "spec.backend", "a".repeat(254))).errors())
                .containsExactly(FieldError.tooLong("spec.backend", 253));
        assertThat(admit("QuantumJob", with(JOB, "spec.pubs[0].circuit", "''")).errors()).extracting(FieldError::toString)
                .containsExactly("spec.pubs[0].circuit: Invalid value: \"\": spec.pubs[0].circuit in body should be at least 1 chars long");
        assertThat(admit("QuantumSession", with(SESSION, "spec.maxTTL", "1 hour")).errors()).extracting(FieldError::field)
                .containsExactly("spec.maxTTL");
    }

    @Test
    void itemCounts() {
        assertThat(admit("QuantumJob", with(JOB, "spec.pubs", "[]")).errors()).extracting(FieldError::toString)
                .containsExactly("spec.pubs: Invalid value: 0: spec.pubs in body should have at least 1 items");
        String tooMany = "[" + "{circuit: x},".repeat(1001) + "]";
        assertThat(admit("QuantumJob", with(JOB, "spec.pubs", tooMany)).errors())
                .containsExactly(FieldError.tooMany("spec.pubs", 1001, 1000));
    }

    @Test
    void defaultsAreAppliedTopDown() {
        ObjectNode session = admit("QuantumSession", without(without(SESSION, "spec.maxTTL"), "spec.acceptingJobs")).object();
        assertThat(session.at("/spec/maxTTL").asText()).isEqualTo("8h");
        assertThat(session.at("/spec/acceptingJobs").asBoolean()).isTrue();
        // An absent object gets its default object; a present one gets its missing fields' defaults.
        ObjectNode backend = admit("QuantumBackend", BACKEND).object();
        assertThat(backend.at("/spec/limits/maxShots").asLong()).isEqualTo(100000);
        ObjectNode partial = admit("QuantumBackend", with(BACKEND, "spec.limits", "{maxShots: 10}")).object();
        assertThat(partial.at("/spec/limits/maxShots").asLong()).isEqualTo(10);
        assertThat(partial.at("/spec/limits/maxTTL").asText()).isEqualTo("8h");
    }

    @Test
    void unknownFieldsArePrunedAndReported() {
        Admission a = admit("QuantumJob", with(with(JOB, "spec.colour", "blue"), "spec.pubs[0].note", "hi"));
        assertThat(a.errors()).isEmpty();
        assertThat(a.prunedFields()).containsExactlyInAnyOrder("spec.colour", "spec.pubs[0].note");
        assertThat(a.object().at("/spec").has("colour")).isFalse();
        assertThat(a.object().has("metadata")).as("metadata is the server's, not the schema's").isTrue();
    }

    @Test
    void intOrStringQuantities() {
        ObjectNode ok = with(BACKEND, "spec.simulator", "{resources: {requests: {cpu: 2, memory: 256Mi}}}");
        assertThat(admit("QuantumBackend", ok).errors()).isEmpty();
        ObjectNode bad = with(BACKEND, "spec.simulator", "{resources: {requests: {cpu: true}}}");
        assertThat(admit("QuantumBackend", bad).errors()).extracting(FieldError::field)
                .containsExactly("spec.simulator.resources.requests[cpu]");
    }

    @Test
    void statusWritesAreCheckedAgainstTheStatusSchemaOnly() {
        ObjectNode stored = JOB.deepCopy();
        // A spec that breaks a CEL rule does not matter to a status write: the server keeps the stored spec.
        ObjectNode write = with(with(JOB, "spec.backend", "other"), "status", "{phase: Completed, queuePosition: 1}");
        assertThat(CustomResourceValidator.admit(write, stored, CrdFiles.schema("QuantumJob"), Scope.STATUS).errors()).isEmpty();
        ObjectNode badStatus = with(JOB, "status", "{phase: Done}");
        assertThat(CustomResourceValidator.admit(badStatus, stored, CrdFiles.schema("QuantumJob"), Scope.STATUS).errors())
                .extracting(FieldError::field).containsExactly("status.phase");
    }
}
