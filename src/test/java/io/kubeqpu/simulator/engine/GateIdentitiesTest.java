package io.kubeqpu.simulator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kubeqpu.simulator.qasm.QasmParser;
import io.kubeqpu.simulator.qasm.QasmProgram;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each built-in gate against a textbook decomposition into other gates, applied to a random 3-qubit state:
 * the two final states must agree up to a global phase (|⟨a|b⟩| = 1). Catches wrong matrices, wrong operand
 * order and wrong parameter conventions.
 */
class GateIdentitiesTest {

    @ParameterizedTest(name = "{0} == {1}")
    @CsvSource(delimiter = '|', value = {
        "x q[0];                 | h q[0]; z q[0]; h q[0];",
        "y q[0];                 | s q[0]; x q[0]; sdg q[0];",
        "sx q[0];                | sdg q[0]; h q[0]; sdg q[0];",
        "sxdg q[0];              | s q[0]; h q[0]; s q[0];",
        "t q[0]; t q[0];         | s q[0];",
        "tdg q[0];               | p(-pi/4) q[0];",
        "u2(0.3, 0.4) q[0];      | u(pi/2, 0.3, 0.4) q[0];",
        "u3(0.1, 0.2, 0.3) q[0]; | rz(0.3) q[0]; ry(0.1) q[0]; rz(0.2) q[0];",
        "U(0.1, 0.2, 0.3) q[0];  | u(0.1, 0.2, 0.3) q[0];",
        "rx(0.7) q[0];           | h q[0]; rz(0.7) q[0]; h q[0];",
        "u1(0.5) q[0];           | rz(0.5) q[0];",
        "cz q[0], q[1];          | h q[1]; cx q[0], q[1]; h q[1];",
        "cy q[0], q[1];          | sdg q[1]; cx q[0], q[1]; s q[1];",
        "ch q[0], q[1];          | ry(-pi/4) q[1]; cz q[0], q[1]; ry(pi/4) q[1];",
        "swap q[0], q[2];        | cx q[0], q[2]; cx q[2], q[0]; cx q[0], q[2];",
        "cp(0.9) q[0], q[1];     | p(0.45) q[0]; cx q[0], q[1]; p(-0.45) q[1]; cx q[0], q[1]; p(0.45) q[1];",
        "cu1(0.9) q[1], q[0];    | cp(0.9) q[0], q[1];",
        "crz(0.8) q[0], q[1];    | rz(0.4) q[1]; cx q[0], q[1]; rz(-0.4) q[1]; cx q[0], q[1];",
        "crx(0.8) q[0], q[1];    | h q[1]; crz(0.8) q[0], q[1]; h q[1];",
        "cry(0.8) q[0], q[1];    | ry(0.4) q[1]; cx q[0], q[1]; ry(-0.4) q[1]; cx q[0], q[1];",
        "cu3(0.1, 0.2, 0.3) q[0], q[1]; | cu(0.1, 0.2, 0.3, 0) q[0], q[1];",
        "cu(0.1, 0.2, 0.3, 0.4) q[0], q[1]; | p(0.4) q[0]; cu3(0.1, 0.2, 0.3) q[0], q[1];",
        "rzz(0.6) q[0], q[2];    | cx q[0], q[2]; rz(0.6) q[2]; cx q[0], q[2];",
        "rxx(0.6) q[0], q[1];    | h q[0]; h q[1]; rzz(0.6) q[0], q[1]; h q[0]; h q[1];",
        "ryy(0.6) q[0], q[1];    | rx(pi/2) q[0]; rx(pi/2) q[1]; rzz(0.6) q[0], q[1]; rx(-pi/2) q[0]; rx(-pi/2) q[1];",
        "rzx(0.6) q[0], q[1];    | h q[1]; rzz(0.6) q[0], q[1]; h q[1];",
        "ecr q[0], q[1];         | rzx(pi/4) q[0], q[1]; x q[0]; rzx(-pi/4) q[0], q[1];",
        "ccx q[0], q[1], q[2];   | h q[2]; cx q[1], q[2]; tdg q[2]; cx q[0], q[2]; t q[2]; cx q[1], q[2]; tdg q[2]; cx q[0], q[2]; t q[1]; t q[2]; h q[2]; cx q[0], q[1]; t q[0]; tdg q[1]; cx q[0], q[1];",
        "cswap q[0], q[1], q[2]; | cx q[2], q[1]; ccx q[0], q[1], q[2]; cx q[2], q[1];",
        "id q[1]; i q[2];        | barrier q;",
    })
    void gateMatchesItsDecomposition(String gate, String decomposition) throws Exception {
        long seed = gate.hashCode();
        double[] a = run(gate, seed);
        double[] b = run(decomposition, seed);
        double re = 0;
        double im = 0;
        for (int i = 0; i < a.length; i += 2) {
            re += a[i] * b[i] + a[i + 1] * b[i + 1];
            im += a[i] * b[i + 1] - a[i + 1] * b[i];
        }
        assertThat(Math.hypot(re, im)).isCloseTo(1.0, within(1e-9));
    }

    /** A random product state on 3 qubits, an entangler, then {@code body}. */
    private static double[] run(String body, long seed) throws Exception {
        Random r = new Random(seed);
        StringBuilder q = new StringBuilder("OPENQASM 3.0; include \"stdgates.inc\"; qubit[3] q;\n");
        for (int i = 0; i < 3; i++) {
            q.append(String.format("u(%.6f, %.6f, %.6f) q[%d];%n", r.nextDouble() * 3, r.nextDouble() * 6,
                    r.nextDouble() * 6, i));
        }
        q.append("cx q[0], q[1]; cx q[1], q[2];\n").append(body).append('\n');
        QasmProgram p = QasmParser.parse(q.toString());
        return CircuitRunner.finalState(CircuitCompiler.compile(p, new double[0])).amplitudes();
    }
}
