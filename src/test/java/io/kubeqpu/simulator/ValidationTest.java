package io.kubeqpu.simulator;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Refusals during the classical pre-processing carry a reason code and a readable message. */
class ValidationTest {
    private static final BackendProfile ISA_BACKEND = new BackendProfile("heron", 5,
            Set.of("cz", "rz", "sx", "x", "id"), true, TimingModel.defaults(), NoiseModel.none());

    private static void refused(BackendProfile backend, PrimitiveRequest request, String reason, String messagePart) {
        assertThatThrownBy(() -> new QpuSimulator(backend).prepare(request))
                .isInstanceOf(SimulationException.class)
                .hasMessageContaining(messagePart)
                .extracting(e -> ((SimulationException) e).reason()).isEqualTo(reason);
    }

    private static PrimitiveRequest sampler(Pub... pubs) {
        return PrimitiveRequest.sampler(List.of(pubs), 100, 1L);
    }

    @Test
    void circuitWiderThanTheBackend() {
        refused(BackendProfile.defaults("small", 2), sampler(Pub.sampler(
                "OPENQASM 3.0; qubit[3] q;")), "CircuitTooWide", "the circuit uses 3 qubits but backend small has 2");
        refused(BackendProfile.defaults("small", 2), sampler(Pub.sampler(
                "OPENQASM 3.0; rz(0.1) $2;")), "CircuitTooWide", "uses 3 qubits");
    }

    @Test
    void nonNativeGateOnAnIsaBackendNamesGateAndPosition() {
        refused(ISA_BACKEND, sampler(Pub.sampler("OPENQASM 3.0;\ninclude \"stdgates.inc\";\nrz(0.1) $0;\n  h $1;")),
                "NonNativeGate", "pub 0: line 4, column 3: gate 'h' is not native on heron");
        // user-defined gates are not native either, even when their bodies are
        refused(ISA_BACKEND, sampler(Pub.sampler("OPENQASM 3.0; include \"stdgates.inc\"; gate g a { x a; } g $0;")),
                "NonNativeGate", "gate 'g'");
    }

    @Test
    void nativeCircuitIsAcceptedOnAnIsaBackend() throws Exception {
        new QpuSimulator(ISA_BACKEND).prepare(sampler(Pub.sampler(
                "OPENQASM 3.0; include \"stdgates.inc\"; bit[2] c; rz(pi/2) $0; sx $0; cz $0, $1; c[0] = measure $0;"
                        + " c[1] = measure $1; barrier $0, $1; reset $0; delay[10dt] $1;")));
    }

    @Test
    void syntaxErrorNamesThePub() {
        refused(BackendProfile.defaults("b", 5), sampler(Pub.sampler("OPENQASM 3.0; qubit[1] q; h q[0];"),
                Pub.sampler("OPENQASM 3.0;\nqubit[1] q;\nfoo q[0];")), "QasmSyntaxError",
                "pub 1: line 3, column 1: unknown gate 'foo'");
    }

    @Test
    void parameterProblems() {
        String qasm = "OPENQASM 3.0; include \"stdgates.inc\"; input float[64] a; input float[64] b; qubit[1] q;"
                + " rx(a+b) q[0];";
        BackendProfile b = BackendProfile.defaults("b", 5);
        refused(b, sampler(Pub.sampler(qasm)), "MissingParameters", "parameters [a, b] but the PUB binds no values");
        refused(b, sampler(Pub.sampler(qasm, List.of(List.of(1.0)), null)), "MissingParameters", "has 1 value(s)");
        refused(b, sampler(Pub.sampler(qasm, List.of(List.of(1.0, 2.0, 3.0)), null)), "InvalidParameters", "3 value(s)");
        refused(b, sampler(new Pub(qasm, null, null, null, null, Map.of("a", List.of(1.0)))), "MissingParameters", "[b]");
        refused(b, sampler(new Pub(qasm, null, null, null, null, Map.of("a", List.of(1.0), "b", List.of(1.0),
                "z", List.of(1.0)))), "InvalidParameters", "no parameter(s) [z]");
        refused(b, sampler(Pub.sampler(qasm, List.of(List.of(1.0, Double.NaN)), null)), "InvalidParameters", "'b'");
    }

    @Test
    void requestProblems() {
        BackendProfile b = BackendProfile.defaults("b", 5);
        String bell = SamplerTest.BELL3;
        refused(b, PrimitiveRequest.sampler(List.of(), 10, null), "InvalidRequest", "no PUBs");
        refused(b, PrimitiveRequest.sampler(List.of(Pub.sampler(bell)), 0, null), "InvalidRequest", "shots must be");
        refused(b, PrimitiveRequest.estimator(List.of(Pub.estimator(bell, List.of(Map.of("ZZ", 1.0)))), 0, null),
                "InvalidRequest", "precision");
        refused(b, PrimitiveRequest.estimator(List.of(Pub.estimator(
                "OPENQASM 3.0; include \"stdgates.inc\"; qubit[1] q; bit[1] c; c[0] = measure q[0]; x q[0];",
                List.of(Map.of("Z", 1.0)))), 0.01, null), "InvalidRequest", "mid-circuit");
    }

    @Test
    void observableProblems() {
        BackendProfile b = BackendProfile.defaults("b", 3);
        String bell = "OPENQASM 3.0; include \"stdgates.inc\"; qubit[2] q; h q[0]; cx q[0], q[1];";
        refused(b, PrimitiveRequest.estimator(List.of(Pub.estimator(bell, List.of(Map.of("Z", 1.0)))), 0.01, null),
                "InvalidObservable", "between 2 (circuit width) and 3");
        refused(b, PrimitiveRequest.estimator(List.of(Pub.estimator(bell, List.of(Map.of("ZA", 1.0)))), 0.01, null),
                "InvalidObservable", "only contain I, X, Y, Z");
        refused(b, PrimitiveRequest.estimator(List.of(Pub.estimator(bell, List.of())), 0.01, null),
                "InvalidObservable", "needs observables");
    }

    @Test
    void resultTooLargeToHold() {
        refused(BackendProfile.defaults("b", 5), PrimitiveRequest.sampler(List.of(Pub.sampler(
                "OPENQASM 3.0; qubit[1] q; bit[1000] c;")), 1_000_000, 1L), "InvalidRequest", "more than 268435456 bits");
    }

    @Test
    void stateVectorTooLargeForTheSimulator() {
        StringBuilder q = new StringBuilder("OPENQASM 3.0; include \"stdgates.inc\"; qubit[40] q;");
        for (int i = 0; i < 40; i++) {
            q.append("h q[").append(i).append("];");
        }
        refused(BackendProfile.defaults("big", 127), sampler(Pub.sampler(q.toString())), "CircuitTooLarge",
                "acts on 40 qubits");
    }
}
