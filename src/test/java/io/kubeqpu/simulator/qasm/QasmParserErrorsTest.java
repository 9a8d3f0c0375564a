package io.kubeqpu.simulator.qasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every refusal names the line and column of the offending token. */
class QasmParserErrorsTest {
    private static final String H3 = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n";

    @ParameterizedTest(name = "{3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "qubit[1] q;\\nfoo q[0];                       | 4 | 1  | unknown gate 'foo'",
        "qubit[1] q;\\n    h r[0];                     | 4 | 7  | unknown qubit register 'r'",
        "qubit[2] q;\\nh q[2];                         | 4 | 5  | index 2 out of range for 'q' of size 2",
        "qubit[2] q;\\ncx q[0];                        | 4 | 1  | gate 'cx' acts on 2 qubit(s), got 1",
        "qubit[1] q;\\nrx q[0];                        | 4 | 1  | gate 'rx' takes 1 parameter(s), got 0",
        "qubit[1] q;\\nh q[0]                          | 4 | 7  | expected ';', found end of input",
        "qubit[1] q;\\nrx(theta) q[0];                 | 4 | 4  | unknown parameter 'theta'",
        "qubit[1] q;\\nrx(1 +) q[0];                   | 4 | 7  | expected an expression, found ')'",
        "qubit[2] q;\\ncx q[0], q[0];                  | 4 | 10 | the same qubit is used twice in one gate call",
        "qubit[2] q;\\ndef f() { }                     | 4 | 1  | unsupported OpenQASM feature: subroutines ('def')",
        "qubit[1] q;\\nopaque g a;                     | 4 | 1  | unsupported OpenQASM feature: opaque gates",
        "qubit[1] q;\\nrx(0/0) q[0];                   | 4 | 1  | gate 'rx' got a non-finite angle (NaN); angles must be finite numbers",
        "qubit[1] q;\\nrz(1e999) q[0];                 | 4 | 1  | gate 'rz' got a non-finite angle (Infinity); angles must be finite numbers",
        "qubit[1] q;\\nrx(2**100000) q[0];             | 4 | 1  | gate 'rx' got a non-finite angle (Infinity); angles must be finite numbers",
        "qubit[1] q;\\ngate g(a) b { rx(a) b; }\\ng(0/0) q[0]; | 5 | 1 | gate 'rx' (inside 'g') got a non-finite angle (NaN); angles must be finite numbers",
        "qubit[1] q;\\nbreak;                          | 4 | 1  | 'break' outside a loop",
        "qubit[2] q;\\nh q[0] @ q[1];                  | 4 | 8  | expected ';', found '@'",
        "qubit[2] q;\\ngate g a, b { h @ a; }          | 4 | 17 | a gate modifier ('@') must come before the gate name",
        "qubit[2] q;\\npow(0.5) @ cx q[0], q[1];       | 4 | 12 | unsupported OpenQASM feature: gate 'pow(0.5) @ cx': pow(0.5) @ (a non-integer power) of a non-diagonal gate on 2 qubits is not supported",
        "qubit[1] q;\\nbit[1] c;\\nwhile (c[0] == 0) { x q[0]; }| 5 | 1 | a 'while' loop on values known before run time ran more than 1000000 iterations (does it end?)",
        "qubit[1] q;\\nbit[2] c;\\nc[0] = 1 / 0;    | 5 | 10 | integer division by zero in a classical expression",
        "qubit[1] q;\\nint x;\\nrx(x + theta) q[0]; | 5 | 8 | unknown parameter 'theta'",
        "qubit[1] q;\\nbit[1] c;\\nc[0] = measure r[0];| 5 | 16 | unknown qubit register 'r'",
        "qubit[2] q;\\nbit[1] c;\\nc = measure q;      | 5 | 5  | measure of 2 qubit(s) into 1 bit(s)",
        "qubit[1] q;\\nmeasure q[0] -> d[0];           | 4 | 17 | unknown classical register 'd'",
        "qubit[1] q;\\nh q[0]; # comment               | 4 | 9  | unexpected character '#'",
        "include \"other.inc\";                        | 3 | 9  | cannot include 'other.inc' (only stdgates.inc and qelib1.inc)",
        "qubit[1] q;\\nqubit[1] q;                     | 4 | 10 | 'q' is already defined",
        "qubit[1] q;\\nh $0;                           | 4 | 3  | cannot mix physical qubits ($n) with declared qubits",
        "qubit[1] q;\\ngate g a { foo a; }             | 4 | 12 | unknown gate 'foo'",
        "qubit[1] q;\\ngate g a { h b; }               | 4 | 14 | unknown qubit 'b' in gate body",
        "qubit[1] q;\\ndelay[100] q[0];                | 4 | 7  | expected a duration such as 100ns, found '100'",
        "qubit[1] q;\\nrx(2xs) q[0];                   | 4 | 4  | invalid number '2xs'",
        "input int[8] n;                             | 3 | 7  | only 'input float' and 'input angle' parameters are supported, found 'int'",
        "qubit[1] q;\\n/* open comment               | 4 | 1  | unterminated comment",
        "OPENQASM 3.0;                               | 3 | 1  | the OPENQASM header must be the first statement",
        "qubit[1] q;\\nh q[0];\\nmeasure q[0] -> ;    | 5 | 17 | expected a classical bit, found ';'",
    })
    void refusalNamesLineAndColumn(String body, int line, int column, String problem) {
        String source = H3 + body.replace("\\n", "\n");
        assertThatThrownBy(() -> QasmParser.parse(source))
                .isInstanceOf(QasmException.class)
                .hasMessage("line " + line + ", column " + column + ": " + problem)
                .satisfies(e -> {
                    assertThat(((QasmException) e).line()).isEqualTo(line);
                    assertThat(((QasmException) e).column()).isEqualTo(column);
                });
    }

    @org.junit.jupiter.api.Test
    void deeplyNestedExpressionIsRefusedNotAStackOverflow() {
        String source = H3 + "qubit[1] q;\nrz(" + "(".repeat(100_000) + "1" + ")".repeat(100_000) + ") q[0];";
        assertThatThrownBy(() -> QasmParser.parse(source)).isInstanceOf(QasmException.class)
                .hasMessageContaining("expression nested deeper than 100 levels");
    }

    @org.junit.jupiter.api.Test
    void exponentialGateExpansionIsRefused() {
        StringBuilder src = new StringBuilder(H3 + "qubit[1] q;\ngate g0 a { }\n");
        for (int i = 1; i <= 40; i++) {
            src.append("gate g").append(i).append(" a { g").append(i - 1).append(" a; g").append(i - 1).append(" a; }\n");
        }
        src.append("g40 q[0];\n");
        assertThatThrownBy(() -> QasmParser.parse(src.toString())).isInstanceOf(QasmException.class)
                .hasMessageContaining("circuit too long");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "OPENQASM 4.0;  | line 1, column 10: unsupported OpenQASM version '4.0' (2 or 3 expected)",
        "qreg q[0];     | line 1, column 8: expected a positive size, found '0'",
    })
    void headerAndDeclarationErrors(String source, String message) {
        assertThatThrownBy(() -> QasmParser.parse(source)).isInstanceOf(QasmException.class).hasMessage(message);
    }
}
