package io.kubeqpu.local.apiserver;

import static io.kubeqpu.local.apiserver.Json.with;
import static io.kubeqpu.local.apiserver.Json.without;
import static io.kubeqpu.local.apiserver.Json.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeqpu.local.apiserver.validation.CustomResourceValidator;
import io.kubeqpu.local.apiserver.validation.CustomResourceValidator.Admission;
import io.kubeqpu.local.apiserver.validation.CustomResourceValidator.Scope;
import io.kubeqpu.local.apiserver.validation.FieldError;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every x-kubernetes-validations rule in crds/ has an object that passes it and one that breaks it, evaluated by the
 * embedded API server's validator (cel-java). {@link #everyRuleInTheCrdsHasACase()} reads the rules from the CRD files,
 * so a new rule without a case here fails the build.
 */
public class CelRulesTest {
    static final ObjectNode BACKEND = yaml("""
            apiVersion: quantum.kubeqpu.io/v1alpha1
            kind: QuantumBackend
            metadata: {name: qpu}
            spec:
              numQubits: 3
              couplingMap: [[0, 1], [1, 2]]
            """);
    static final ObjectNode INSTANCE = yaml("""
            apiVersion: quantum.kubeqpu.io/v1alpha1
            kind: QuantumInstance
            metadata: {name: research, namespace: default}
            spec:
              plan: premium
              usagePeriod: 720h
            """);
    static final ObjectNode JOB = yaml("""
            apiVersion: quantum.kubeqpu.io/v1alpha1
            kind: QuantumJob
            metadata: {name: bell, namespace: default}
            spec:
              backend: qpu
              instance: research
              primitive: sampler
              maxExecutionTime: 1h
              pubs:
                - circuit: "OPENQASM 3.0; qubit[1] q; bit[1] c; h q[0]; c[0] = measure q[0];"
            """);
    static final ObjectNode SESSION_JOB = without(with(JOB, "spec.sessionRef", "{name: vqe}"), "spec.backend");
    static final ObjectNode BATCH_JOB = without(with(JOB, "spec.batchRef", "{name: sweep}"), "spec.backend");
    static final ObjectNode BATCH = yaml("""
            apiVersion: quantum.kubeqpu.io/v1alpha1
            kind: QuantumBatch
            metadata: {name: sweep, namespace: default}
            spec:
              backend: qpu
              instance: research
              maxTTL: 1h
              interactiveTTL: 60s
              acceptingJobs: true
              jobs:
                - name: a
                  spec:
                    primitive: sampler
                    maxExecutionTime: 1h
                    pubs: [{circuit: "OPENQASM 3.0;"}]
            """);
    static final ObjectNode SESSION = yaml("""
            apiVersion: quantum.kubeqpu.io/v1alpha1
            kind: QuantumSession
            metadata: {name: vqe, namespace: default}
            spec:
              backend: qpu
              instance: research
              maxTTL: 1h
              interactiveTTL: 60s
              acceptingJobs: true
            """);
    static final String ESTIMATOR_PUB = "{circuit: 'OPENQASM 3.0;', observables: [{ZZ: 1.0}]}";
    static final String BOTH_BINDINGS = "give parameterValues (by position) or namedParameterValues (by name), not both";
    static final String NAMED_PUB = "{circuit: 'OPENQASM 3.0;', namedParameterValues: {theta: [0.5]}}";
    static final String BOTH_PUB = "{circuit: 'OPENQASM 3.0;', parameterValues: [[0.5]], namedParameterValues: {theta: [0.5]}}";

    /**
     * One rule's case: {@code passing} satisfies it and {@code failing} breaks it; for a transition rule both are
     * updates of {@code old}.
     */
    public record RuleCase(String kind, String path, String message, ObjectNode old, ObjectNode passing, ObjectNode failing,
            String expectedField) {
        String key() {
            return kind + " " + (path.isEmpty() ? "<root>" : path) + " | " + message;
        }

        @Override
        public String toString() {
            return key();
        }
    }

    static RuleCase create(String kind, String path, String message, ObjectNode passing, ObjectNode failing,
            String field) {
        return new RuleCase(kind, path, message, null, passing, failing, field);
    }

    static RuleCase update(String kind, String path, String message, ObjectNode old, ObjectNode passing,
            ObjectNode failing, String field) {
        return new RuleCase(kind, path, message, old, passing, failing, field);
    }

    public static Stream<RuleCase> cases() {
        return Stream.of(Stream.of(
                // QuantumBackend
                create("QuantumBackend", "", "spec is required", BACKEND, without(BACKEND, "spec"), "<nil>"),
                create("QuantumBackend", ".spec", "couplingMap qubit indices must be below numQubits",
                        BACKEND, with(BACKEND, "spec.couplingMap", "[[0, 3]]"), "spec"),
                create("QuantumBackend", ".spec.couplingMap",
                        "couplingMap entries must be pairs [a, b] of distinct non-negative qubit indices",
                        BACKEND, with(BACKEND, "spec.couplingMap", "[[1, 1]]"), "spec.couplingMap"),
                // QuantumInstance
                create("QuantumInstance", "", "spec is required", INSTANCE, without(INSTANCE, "spec"), "<nil>"),
                create("QuantumInstance", ".spec.usagePeriod", "usagePeriod must be positive",
                        INSTANCE, with(INSTANCE, "spec.usagePeriod", "0s"), "spec.usagePeriod"),
                // QuantumJob
                create("QuantumJob", "", "spec is required", JOB, without(JOB, "spec"), "<nil>"),
                create("QuantumJob", ".spec", "set at most one of sessionRef and batchRef",
                        SESSION_JOB, with(SESSION_JOB, "spec.batchRef", "{name: sweep}"), "spec"),
                create("QuantumJob", ".spec", "set backend, sessionRef or batchRef",
                        BATCH_JOB, without(JOB, "spec.backend"), "spec"),
                update("QuantumJob", ".spec", "backend is immutable", JOB,
                        JOB, with(JOB, "spec.backend", "other"), "spec"),
                update("QuantumJob", ".spec", "instance is immutable", JOB,
                        JOB, without(JOB, "spec.instance"), "spec"),
                update("QuantumJob", ".spec", "sessionRef is immutable", SESSION_JOB,
                        SESSION_JOB, with(SESSION_JOB, "spec.sessionRef.name", "other"), "spec"),
                update("QuantumJob", ".spec", "batchRef is immutable", BATCH_JOB,
                        BATCH_JOB, with(BATCH_JOB, "spec.batchRef.name", "other"), "spec"),
                update("QuantumJob", ".spec", "primitive is immutable", JOB,
                        JOB,
                        with(with(JOB, "spec.primitive", "estimator"), "spec.pubs[0]", ESTIMATOR_PUB), "spec"),
                update("QuantumJob", ".spec", "pubs is immutable", JOB,
                        JOB, with(JOB, "spec.pubs[0].shots", "10"), "spec"),
                update("QuantumJob", ".spec", "shots cannot change once the job is submitted (the QPU runs what was submitted): delete the job and apply it again",
                        JOB, JOB, with(JOB, "spec.shots", "12345"), "spec"),
                update("QuantumJob", ".spec", "precision cannot change once the job is submitted: delete the job and apply it again",
                        JOB, JOB, with(JOB, "spec.precision", "0.5"), "spec"),
                update("QuantumJob", ".spec", "seed cannot change once the job is submitted: delete the job and apply it again",
                        JOB, JOB, with(JOB, "spec.seed", "99"), "spec"),
                update("QuantumJob", ".spec", "maxExecutionTime cannot change once the job is submitted: delete the job and apply it again",
                        JOB, JOB, with(JOB, "spec.maxExecutionTime", "2h"), "spec"),
                create("QuantumJob", ".spec", "every estimator PUB needs observables",
                        with(with(JOB, "spec.primitive", "estimator"), "spec.pubs[0]", ESTIMATOR_PUB),
                        with(JOB, "spec.primitive", "estimator"), "spec"),
                create("QuantumJob", ".spec", "sampler PUBs take no observables",
                        JOB, with(JOB, "spec.pubs[0]", ESTIMATOR_PUB), "spec"),
                create("QuantumJob", ".spec.pubs[]", BOTH_BINDINGS,
                        with(JOB, "spec.pubs[0]", NAMED_PUB), with(JOB, "spec.pubs[0]", BOTH_PUB), "spec.pubs[0]"),
                create("QuantumJob", ".spec.maxExecutionTime", "maxExecutionTime must be positive and at most 3h",
                        with(JOB, "spec.maxExecutionTime", "3h"), with(JOB, "spec.maxExecutionTime", "3h1s"),
                        "spec.maxExecutionTime"),
                // QuantumBatch
                create("QuantumBatch", "", "spec is required", BATCH, without(BATCH, "spec"), "<nil>"),
                update("QuantumBatch", ".spec", "backend is immutable", BATCH,
                        with(BATCH, "spec.acceptingJobs", "false"), with(BATCH, "spec.backend", "other"), "spec"),
                update("QuantumBatch", ".spec", "instance is immutable", BATCH,
                        with(BATCH, "spec.acceptingJobs", "false"), with(BATCH, "spec.instance", "other"), "spec"),
                update("QuantumBatch", ".spec", "maxTTL cannot change after creation (the deadline counts from the first job's start): create a new session or batch",
                        BATCH, BATCH, with(BATCH, "spec.maxTTL", "3h"), "spec"),
                update("QuantumBatch", ".spec", "interactiveTTL cannot change after creation: create a new session or batch",
                        BATCH, BATCH, with(BATCH, "spec.interactiveTTL", "5m"), "spec"),
                update("QuantumBatch", ".spec", "a closed workload cannot accept jobs again",
                        with(BATCH, "spec.acceptingJobs", "false"), with(BATCH, "spec.acceptingJobs", "false"),
                        with(BATCH, "spec.acceptingJobs", "true"), "spec"),
                create("QuantumBatch", ".spec", "interactiveTTL must not exceed maxTTL",
                        with(BATCH, "spec.interactiveTTL", "1h"), with(BATCH, "spec.interactiveTTL", "61m"), "spec"),
                create("QuantumBatch", ".spec.interactiveTTL", "interactiveTTL must be positive",
                        with(BATCH, "spec.interactiveTTL", "1s"), with(BATCH, "spec.interactiveTTL", "0s"),
                        "spec.interactiveTTL"),
                create("QuantumBatch", ".spec.jobs", "job template names must be unique",
                        with(BATCH, "spec.jobs", "[{name: a, spec: {primitive: sampler, pubs: [{circuit: x}]}},"
                                + " {name: b, spec: {primitive: sampler, pubs: [{circuit: x}]}}]"),
                        with(BATCH, "spec.jobs", "[{name: a, spec: {primitive: sampler, pubs: [{circuit: x}]}},"
                                + " {name: a, spec: {primitive: sampler, pubs: [{circuit: x}]}}]"),
                        "spec.jobs"),
                create("QuantumBatch", ".spec.jobs[].spec", "every estimator PUB needs observables",
                        with(with(BATCH, "spec.jobs[0].spec.primitive", "estimator"), "spec.jobs[0].spec.pubs[0]",
                                ESTIMATOR_PUB),
                        with(BATCH, "spec.jobs[0].spec.primitive", "estimator"), "spec.jobs[0].spec"),
                create("QuantumBatch", ".spec.jobs[].spec", "sampler PUBs take no observables",
                        BATCH, with(BATCH, "spec.jobs[0].spec.pubs[0]", ESTIMATOR_PUB), "spec.jobs[0].spec"),
                create("QuantumBatch", ".spec.jobs[].spec.pubs[]", BOTH_BINDINGS,
                        with(BATCH, "spec.jobs[0].spec.pubs[0]", NAMED_PUB), with(BATCH, "spec.jobs[0].spec.pubs[0]", BOTH_PUB),
                        "spec.jobs[0].spec.pubs[0]"),
                create("QuantumBatch", ".spec.jobs[].spec.maxExecutionTime",
                        "maxExecutionTime must be positive and at most 3h",
                        with(BATCH, "spec.jobs[0].spec.maxExecutionTime", "90m"),
                        with(BATCH, "spec.jobs[0].spec.maxExecutionTime", "0s"), "spec.jobs[0].spec.maxExecutionTime"),
                create("QuantumBatch", ".spec.maxTTL", "maxTTL must be positive",
                        with(BATCH, "spec.maxTTL", "2m"), with(BATCH, "spec.maxTTL", "0s"), "spec.maxTTL"),
                // QuantumSession
                create("QuantumSession", "", "spec is required", SESSION, without(SESSION, "spec"), "<nil>"),
                update("QuantumSession", ".spec", "backend is immutable", SESSION,
                        with(SESSION, "spec.acceptingJobs", "false"), with(SESSION, "spec.backend", "other"), "spec"),
                update("QuantumSession", ".spec", "instance is immutable", SESSION,
                        with(SESSION, "spec.acceptingJobs", "false"), without(SESSION, "spec.instance"), "spec"),
                update("QuantumSession", ".spec", "maxTTL cannot change after creation (the deadline counts from the first job's start): create a new session or batch",
                        SESSION, SESSION, with(SESSION, "spec.maxTTL", "3h"), "spec"),
                update("QuantumSession", ".spec", "interactiveTTL cannot change after creation: create a new session or batch",
                        SESSION, SESSION, with(SESSION, "spec.interactiveTTL", "5m"), "spec"),
                update("QuantumSession", ".spec", "a closed workload cannot accept jobs again",
                        with(SESSION, "spec.acceptingJobs", "false"), with(SESSION, "spec.acceptingJobs", "false"),
                        without(SESSION, "spec.acceptingJobs"), "spec"),
                create("QuantumSession", ".spec", "interactiveTTL must not exceed maxTTL",
                        with(SESSION, "spec.interactiveTTL", "1h"), with(SESSION, "spec.interactiveTTL", "2h"), "spec"),
                create("QuantumSession", ".spec.interactiveTTL", "interactiveTTL must be positive",
                        with(SESSION, "spec.interactiveTTL", "1ms"), with(SESSION, "spec.interactiveTTL", "0s"),
                        "spec.interactiveTTL"),
                create("QuantumSession", ".spec.maxTTL", "maxTTL must be positive",
                        with(SESSION, "spec.maxTTL", "1m"), with(SESSION, "spec.maxTTL", "'0'"), "spec.maxTTL"),
                // Backend limits that would break the backend (issue 20)
                create("QuantumBackend", ".spec.limits.maxTTL", "limits.maxTTL must be positive (e.g. 8h)",
                        with(BACKEND, "spec.limits", "{maxTTL: 8h}"), with(BACKEND, "spec.limits", "{maxTTL: '0'}"), "spec.limits.maxTTL"),
                create("QuantumBackend", ".spec.limits.maxExecutionTime", "limits.maxExecutionTime must be positive (e.g. 3h)",
                        with(BACKEND, "spec.limits", "{maxExecutionTime: 1h}"), with(BACKEND, "spec.limits", "{maxExecutionTime: 0s}"),
                        "spec.limits.maxExecutionTime")),
                // Durations CEL's duration() could not parse (overflow): refused naming the field, not a rule evaluation error
                Stream.of(
                        bounded("QuantumBackend", BACKEND, "spec.timing", "overhead", "timing.overhead"),
                        bounded("QuantumBackend", BACKEND, "spec.timing", "repDelay", "timing.repDelay"),
                        bounded("QuantumBackend", BACKEND, "spec.timing", "singleQubitGate", "timing.singleQubitGate"),
                        bounded("QuantumBackend", BACKEND, "spec.timing", "twoQubitGate", "timing.twoQubitGate"),
                        bounded("QuantumBackend", BACKEND, "spec.timing", "measure", "timing.measure"),
                        bounded("QuantumBackend", BACKEND, "spec.calibration", "interval", "calibration.interval"),
                        bounded("QuantumBackend", BACKEND, "spec.calibration", "duration", "calibration.duration"),
                        bounded("QuantumBackend", BACKEND, "spec.limits", "maxTTL", "limits.maxTTL"),
                        bounded("QuantumBackend", BACKEND, "spec.limits", "maxExecutionTime", "limits.maxExecutionTime"),
                        bounded("QuantumInstance", INSTANCE, "spec", "usagePeriod", "usagePeriod"),
                        bounded("QuantumJob", JOB, "spec", "maxExecutionTime", "maxExecutionTime"),
                        bounded("QuantumBatch", BATCH, "spec", "maxTTL", "maxTTL"),
                        bounded("QuantumBatch", BATCH, "spec", "interactiveTTL", "interactiveTTL"),
                        bounded("QuantumBatch", BATCH, "spec.jobs[0].spec", "maxExecutionTime", "maxExecutionTime"),
                        bounded("QuantumSession", SESSION, "spec", "maxTTL", "maxTTL"),
                        bounded("QuantumSession", SESSION, "spec", "interactiveTTL", "interactiveTTL")))
                .flatMap(x -> x);
    }

    /** 99999999999h matches the duration pattern but overflows CEL's duration(): refused by the bounded rule. */
    private static RuleCase bounded(String kind, ObjectNode base, String parent, String field, String label) {
        boolean spec = parent.equals("spec") || parent.startsWith("spec.jobs");
        ObjectNode passing = spec ? with(base, parent + "." + field, "1h") : with(base, parent, "{" + field + ": 1h}");
        ObjectNode failing = spec ? with(base, parent + "." + field, "99999999999h") : with(base, parent, "{" + field + ": 99999999999h}");
        String path = "." + parent.replace("[0]", "[]") + "." + field;
        return create(kind, path, label + " must be a duration such as 90s, 250ms or 1h30m, with at most 5 digits before h (7 before m, 9 before s)",
                passing, failing, parent + "." + field);
    }

    @Test
    void everyRuleInTheCrdsHasACase() {
        Set<String> inCrds = CrdFiles.rules().stream().map(CrdFiles.RuleRef::key).collect(Collectors.toCollection(TreeSet::new));
        Set<String> covered = cases().map(RuleCase::key).collect(Collectors.toCollection(TreeSet::new));
        assertThat(covered).as("rules with a case").containsExactlyInAnyOrderElementsOf(inCrds);
        assertThat(cases().count()).as("one case per rule").isEqualTo(CrdFiles.rules().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void passingObjectIsAdmitted(RuleCase c) {
        Admission admission = admit(c.kind(), c.passing(), c.old());
        assertThat(admission.errors()).as(c.key()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failingObjectIsRefusedWithTheRulesMessageAtItsField(RuleCase c) {
        Admission admission = admit(c.kind(), c.failing(), c.old());
        assertThat(admission.errors()).as(c.key())
                .contains(FieldError.rule(c.expectedField(), null, typeAt(c), c.message()));
    }

    /** A transition rule must not block a create: the API server runs it only when there is an old value. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void transitionRulesDoNotRunOnCreate(RuleCase c) {
        if (c.old() == null) {
            return;
        }
        List<String> messages = admit(c.kind(), c.failing(), null).errors().stream().map(FieldError::body).toList();
        assertThat(messages).noneMatch(m -> m.endsWith(": " + c.message()));
    }

    /** The schema type the API server names in "Invalid value: \"<type>\"" for the rule's node. */
    private static String typeAt(RuleCase c) {
        if (c.path().isEmpty() || c.path().endsWith(".spec") || c.path().endsWith(".pubs[]")) {
            return "object";
        }
        return switch (c.path()) {
            case ".spec.couplingMap", ".spec.jobs" -> "array";
            default -> "string";
        };
    }

    public static Admission admit(String kind, ObjectNode object, ObjectNode old) {
        return CustomResourceValidator.admit(object.deepCopy(), old == null ? null : old.deepCopy(),
                CrdFiles.schema(kind), Scope.MAIN_RESOURCE);
    }
}
