package io.kubeqpu.simulator.qasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class QasmParserTest {

    private static double firstParam(String expression) throws QasmException {
        QasmProgram p = QasmParser.parse("OPENQASM 3; include \"stdgates.inc\"; qubit[1] q; rz(" + expression + ") q[0];");
        return ((Instruction.Gate) p.instructions().get(0)).params().get(0).eval(new double[0]);
    }

    @Test
    void expressionsFollowUsualPrecedence() throws Exception {
        assertThat(firstParam("pi/2")).isCloseTo(Math.PI / 2, within(1e-15));
        assertThat(firstParam("π/4")).isCloseTo(Math.PI / 4, within(1e-15));
        assertThat(firstParam("-pi + 2*3")).isCloseTo(6 - Math.PI, within(1e-15));
        assertThat(firstParam("2^3^2")).isEqualTo(512); // right associative
        assertThat(firstParam("2**3")).isEqualTo(8);
        assertThat(firstParam("-2^2")).isEqualTo(-4);
        assertThat(firstParam("(1+2)*3")).isEqualTo(9);
        assertThat(firstParam("sin(pi/2) + cos(0) + tan(0) + exp(0) + ln(1) + sqrt(4)")).isCloseTo(5, within(1e-15));
        assertThat(firstParam("asin(1) + acos(1) + atan(1)")).isCloseTo(Math.PI / 2 + Math.PI / 4, within(1e-15));
        assertThat(firstParam("1.5e-3 + .5 + 2.")).isCloseTo(2.5015, within(1e-15));
        assertThat(firstParam("tau/2 - euler + ℇ")).isCloseTo(Math.PI, within(1e-15));
    }

    @Test
    void inputsStaySymbolicUntilBound() throws Exception {
        QasmProgram p = QasmParser.parse("""
                OPENQASM 3.0; include "stdgates.inc";
                input float[64] a; input angle[32] b;
                qubit[1] q;
                rz(2*a - b) q[0];
                """);
        assertThat(p.inputs()).containsExactly("a", "b");
        Expr e = ((Instruction.Gate) p.instructions().get(0)).params().get(0);
        assertThat(e.isConstant()).isFalse();
        assertThat(e.eval(new double[] {1.0, 0.5})).isEqualTo(1.5);
    }

    @Test
    void registersBroadcastAndPhysicalQubitsSetTheWidth() throws Exception {
        QasmProgram p = QasmParser.parse("OPENQASM 2.0; include \"qelib1.inc\"; qreg a[2]; qreg b[2]; creg c[2]; "
                + "cx a, b; measure b -> c; reset a; barrier a, b;");
        assertThat(p.numQubits()).isEqualTo(4);
        List<Instruction> in = p.instructions();
        assertThat(in).hasSize(2 + 2 + 2 + 1);
        assertThat(((Instruction.Gate) in.get(1)).qubits()).containsExactly(1, 3);
        assertThat(((Instruction.Measure) in.get(3)).clbit()).isEqualTo(1);
        QasmProgram phys = QasmParser.parse("OPENQASM 3.0; bit[1] m; rz(pi) $7; m[0] = measure $7;");
        assertThat(phys.numQubits()).isEqualTo(8);
        assertThat(phys.gateCalls()).containsOnlyKeys("rz");
    }

    @Test
    void runTimeConditionsBecomeBranchesOverTheirBlock() throws Exception {
        QasmProgram p = QasmParser.parse("""
                OPENQASM 3.0; include "stdgates.inc";
                qubit[2] q; bit[2] c;
                c = measure q;
                if (c == 2) { x q[0]; h q[1]; } else { z q[0]; }
                if (!c[1]) x q[1];
                """);
        List<Instruction> in = p.instructions();
        // 0,1 measure; 2 branch; 3 x; 4 h; 5 jump over else; 6 z; 7 branch; 8 x
        Instruction.Branch eq2 = (Instruction.Branch) in.get(2);
        assertThat(eq2.ifFalse()).isEqualTo(6);
        Memory m = new Memory(2, 0);
        m.bits[1] = true;
        assertThat(eq2.condition().asBool(m)).isTrue();
        m.bits[0] = true;
        assertThat(eq2.condition().asBool(m)).isFalse();
        assertThat(((Instruction.Jump) in.get(5)).target()).isEqualTo(7);
        Instruction.Branch not1 = (Instruction.Branch) in.get(7);
        assertThat(not1.ifFalse()).isEqualTo(9);
        assertThat(not1.condition().asBool(m)).isFalse();
        assertThat(in).hasSize(9);
    }

    @Test
    void qiskitStyleExportParses() throws Exception {
        // As produced by qiskit.qasm3.dumps for a transpiled circuit with a custom gate.
        QasmProgram p = QasmParser.parse("""
                OPENQASM 3.0;
                include "stdgates.inc";
                input float[64] _θ_0_;
                gate rzx(_gate_p_0) _gate_q_0, _gate_q_1 {
                  h _gate_q_1;
                  cx _gate_q_0, _gate_q_1;
                  rz(_gate_p_0) _gate_q_1;
                  cx _gate_q_0, _gate_q_1;
                  h _gate_q_1;
                }
                bit[2] meas;
                qubit[2] q;
                rzx(_θ_0_/2) q[0], q[1];
                delay[2.5us] q[0];
                barrier q[0], q[1];
                meas[0] = measure q[0];
                meas[1] = measure q[1];
                """);
        assertThat(p.inputs()).containsExactly("_θ_0_");
        assertThat(p.gateCalls()).containsOnlyKeys("rzx");
        assertThat(p.instructions().stream().filter(i -> i instanceof Instruction.Gate)).hasSize(5);
        Instruction.Delay d = (Instruction.Delay) p.instructions().get(5);
        assertThat(d.seconds()).isCloseTo(2.5e-6, within(1e-18));
    }
}
