package io.kubeqpu.simulator.qasm;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Garbage in: the parser answers with a program or a {@link QasmException}, never anything else. */
class QasmFuzzTest {
    private static final String VALID = """
            OPENQASM 3.0;
            include "stdgates.inc";
            input float[64] t;
            gate g(a) x, y { rx(a) x; cx x, y; }
            qubit[3] q; bit[3] c;
            g(t*pi/2) q[0], q[1];
            ccx q[0], q[1], q[2];
            c[0] = measure q[0];
            if (c == 1) { x q[2]; }
            measure q -> c;
            """;

    @Property(tries = 3000)
    void randomTextOnlyEverRaisesQasmException(@ForAll("garbage") String source) {
        parseAllowingOnlyQasmException(source);
    }

    @Property(tries = 3000)
    void mutatedValidProgramsOnlyEverRaiseQasmException(@ForAll("mutations") String source) {
        parseAllowingOnlyQasmException(source);
    }

    private static void parseAllowingOnlyQasmException(String source) {
        try {
            QasmProgram p = QasmParser.parse(source);
            assertThat(p.numQubits()).isNotNegative();
        } catch (QasmException e) {
            assertThat(e.getMessage()).matches("(?s)line \\d+, column \\d+: .+");
        }
    }

    @Provide
    Arbitrary<String> garbage() {
        Arbitrary<String> tokens = Arbitraries.of("OPENQASM", "3.0", "2.0", ";", "qubit", "bit", "[", "]", "q", "c",
                "h", "cx", "(", ")", ",", "measure", "->", "=", "if", "==", "{", "}", "gate", "pi", "-", "*", "/", "^",
                "$0", "$99999999999", "1e999", "input", "float", "reset", "barrier", "delay", "10ns", "\"", "/*", "//",
                "\n", " ", "π", "rx", "2", "0", "else", "!", "1.", "include", "\"stdgates.inc\"");
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                tokens.list().ofMaxSize(60).map(l -> String.join(" ", l)));
    }

    @Provide
    Arbitrary<String> mutations() {
        return Arbitraries.integers().between(0, VALID.length() - 1).tuple3()
                .map(t -> {
                    int a = Math.min(t.get1(), t.get2());
                    int b = Math.max(t.get1(), t.get2());
                    // delete a slice, or duplicate it somewhere else
                    return t.get3() % 2 == 0 ? VALID.substring(0, a) + VALID.substring(b)
                            : VALID.substring(0, t.get3()) + VALID.substring(a, b) + VALID.substring(t.get3());
                });
    }
}
