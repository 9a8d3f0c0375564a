package io.kubeqpu.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeqpu.simulator.PrimitiveResult.RegisterData;
import io.kubeqpu.simulator.PrimitiveResult.SamplerPubResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OpenQASM 3 that Qiskit emits, run end to end with outcomes known analytically: deterministic circuits
 * must give one outcome on every shot, random ones the right shares (bounds at ≥ 5 standard deviations).
 */
class OpenQasm3FeaturesTest {
    private static final String H = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n";
    private final QpuSimulator sim = new QpuSimulator(BackendProfile.defaults("test", 27));

    private Map<String, RegisterData> run(String body, int shots, long seed) throws SimulationException {
        PrimitiveResult r = sim.execute(sim.prepare(PrimitiveRequest.sampler(List.of(Pub.sampler(H + body)), shots, seed)), seed);
        return ((SamplerPubResult) r.pubs().get(0)).registers().get(0);
    }

    /** The only outcome of a deterministic circuit. */
    private String only(String body, String reg) throws SimulationException {
        Map<String, Integer> counts = run(body, 200, 3).get(reg).counts();
        assertThat(counts).as("outcomes of %s", body).hasSize(1);
        return counts.keySet().iterator().next();
    }

    @Test
    void gateModifiers() throws Exception {
        // ctrl @ x = cx; negctrl fires on |0>; inv @ s = sdg; pow(2) @ s = z; pow(0.5) @ x = sx.
        assertThat(only("qubit[2] q; bit[2] c; x q[0]; ctrl @ x q[0], q[1]; c = measure q;", "c")).isEqualTo("11");
        assertThat(only("qubit[2] q; bit[2] c; negctrl @ x q[0], q[1]; c = measure q;", "c")).isEqualTo("10");
        assertThat(only("qubit[3] q; bit[3] c; x q[0]; x q[1]; ctrl(2) @ x q[0], q[1], q[2]; c = measure q;", "c"))
                .isEqualTo("111");
        assertThat(only("qubit[3] q; bit[3] c; x q[1]; ctrl @ negctrl @ x q[1], q[0], q[2]; c = measure q;", "c"))
                .isEqualTo("110");
        assertThat(only("qubit[1] q; bit[1] c; h q[0]; s q[0]; inv @ s q[0]; h q[0]; c = measure q;", "c")).isEqualTo("0");
        assertThat(only("qubit[1] q; bit[1] c; h q[0]; pow(2) @ s q[0]; h q[0]; c = measure q;", "c")).isEqualTo("1");
        assertThat(only("qubit[1] q; bit[1] c; pow(0.5) @ x q[0]; pow(0.5) @ x q[0]; c = measure q;", "c")).isEqualTo("1");
        assertThat(only("qubit[1] q; bit[1] c; pow(-1) @ sx q[0]; sx q[0]; c = measure q;", "c")).isEqualTo("0");
        // ctrl @ gphase(π) on |1> is Z: H Z H flips.
        assertThat(only("qubit[1] q; bit[1] c; h q[0]; ctrl @ gphase(pi) q[0]; h q[0]; c = measure q;", "c")).isEqualTo("1");
        // Inside gate bodies, on user gates, and a global phase that matters once controlled.
        assertThat(only("gate mycx a, b { ctrl @ x a, b; } gate zz a { gphase(pi/2); s a; s a; gphase(-pi/2); }"
                + "qubit[2] q; bit[2] c; x q[0]; mycx q[0], q[1]; h q[1]; ctrl @ zz q[0], q[1]; h q[1]; c = measure q;",
                "c")).isEqualTo("01");
        assertThat(only("gate flip a { gphase(pi); x a; } qubit[2] q; bit[2] c; h q[0]; ctrl @ flip q[0], q[1];"
                + " ctrl @ x q[0], q[1]; h q[0]; c = measure q;", "c")).isEqualTo("01");
        assertThat(only("gate g(t) a, b { ctrl @ rx(t) a, b; } qubit[3] q; bit[3] c; x q[0]; x q[1];"
                + " ctrl @ g(pi) q[0], q[1], q[2]; inv @ ctrl @ inv @ x q[0], q[1]; c = measure q;", "c")).isEqualTo("101");
    }

    @Test
    void qelib1ExtraGatesAndTheirShadowedDefinitionsAgree() throws Exception {
        assertThat(only("qubit[4] q; bit[4] c; x q[0]; x q[1]; x q[2]; c3x q[0], q[1], q[2], q[3]; c = measure q;", "c"))
                .isEqualTo("1111");
        assertThat(only("qubit[5] q; bit[5] c; x q[0]; x q[1]; x q[2]; x q[3]; c4x q[0], q[1], q[2], q[3], q[4];"
                + " c = measure q;", "c")).isEqualTo("11111");
        assertThat(only("qubit[4] q; bit[4] c; x q[0]; x q[1]; x q[2]; c3sqrtx q[0], q[1], q[2], q[3];"
                + " c3sqrtx q[0], q[1], q[2], q[3]; c = measure q;", "c")).isEqualTo("1111");
        assertThat(only("qubit[3] q; bit[3] c; x q[0]; x q[1]; rccx q[0], q[1], q[2]; c = measure q;", "c")).isEqualTo("111");
        assertThat(only("qubit[4] q; bit[4] c; x q[0]; x q[1]; x q[2]; rc3x q[0], q[1], q[2], q[3]; c = measure q;", "c"))
                .isEqualTo("1111");
        assertThat(only("qubit[1] q; bit[1] c; u0(5) q[0]; x q[0]; c = measure q;", "c")).isEqualTo("1");
    }

    @Test
    void forLoopsUnrollWithTheirVariable() throws Exception {
        // Three rx(π/3·i) for i = 0..2 sum to rx(π): a flip.
        assertThat(only("qubit[1] q; bit[1] c; for int i in [0:2] { rx(pi/3*i) q[0]; } c = measure q;", "c")).isEqualTo("1");
        assertThat(only("qubit[3] q; bit[3] c; for uint i in {0, 2} { x q[i]; } c = measure q;", "c")).isEqualTo("101");
        assertThat(only("qubit[4] q; bit[4] c; for i in [3:-1:1] { x q[i]; } x q[0:1]; c = measure q;", "c"))
                .isEqualTo("1101");
        assertThat(only("qubit[3] q; bit[3] c; for int i in [0:5] { if (i == 2) break; if (i == 0) continue; x q[i]; }"
                + " c = measure q;", "c")).isEqualTo("010");
        assertThat(sim.prepare(PrimitiveRequest.sampler(List.of(Pub.sampler(H + "qubit[1] q; bit[1] c; for int i in [0:9]"
                + " { x q[0]; } c = measure q;")), 1, 1L)).executions()).isEqualTo(1);
    }

    @Test
    void whileLoopOnMeasurementsRunsUntilTheConditionFails() throws Exception {
        // Repeat-until-success: measure a |+> until it gives 1. Always ends with c[0] = 1, and the loop count
        // is geometric: the extra flag counts iterations modulo 2 (P(even) = 1/3).
        Map<String, RegisterData> r = run("qubit[2] q; bit[1] c; bit[1] parity; while (c[0] == 0) { reset q[0]; h q[0];"
                + " c[0] = measure q[0]; parity[0] = !parity[0]; }", 20_000, 5);
        assertThat(r.get("c").counts()).containsOnlyKeys("1");
        assertThat(r.get("parity").counts().get("0")).isBetween(6667 - 335, 6667 + 335);
    }

    @Test
    void breakAndContinueInARunTimeWhile() throws Exception {
        // Loop until two successive |+> measurements give 1 then... break as soon as the second bit is 1;
        // continue skips the flip of q[1] when the first bit is 0. Ends with m[1] = 1 always.
        Map<String, RegisterData> r = run("qubit[3] q; bit[2] m; while (m[1] == 0) { reset q[0]; h q[0];"
                + " m[0] = measure q[0]; if (!m[0]) continue; reset q[2]; h q[2]; m[1] = measure q[2]; if (m[1]) break;"
                + " x q[1]; }", 5000, 3);
        assertThat(r.get("m").counts()).containsOnlyKeys("11");
        Map<String, RegisterData> r2 = run("qubit[1] q; bit[1] m; int n = 0; while (true) { n += 1; reset q[0]; h q[0];"
                + " m[0] = measure q[0]; if (m[0]) break; } bit[1] many; if (n > 1) many[0] = 1;", 20_000, 4);
        // while (true) ends only through the measured break; P(n > 1) = 1/2.
        assertThat(r2.get("m").counts()).containsOnlyKeys("1");
        assertThat(r2.get("many").counts().get("1")).isBetween(10_000 - 354, 10_000 + 354);
    }

    @Test
    void whileOnKnownValuesIsResolvedBeforeRunTime() throws Exception {
        assertThat(only("qubit[3] q; bit[3] c; int i = 0; while (i < 3) { x q[i]; i += 1; } c = measure q;", "c"))
                .isEqualTo("111");
        // No run-time control flow left: the circuit is static.
        assertThat(io.kubeqpu.simulator.engine.CircuitCompiler.isDynamic(io.kubeqpu.simulator.qasm.QasmParser.parse(H
                + "qubit[2] q; bit[2] c; int i = 0; while (i < 2) { h q[i]; i += 1; } c = measure q;"))).isFalse();
    }

    @Test
    void switchOnAMeasuredRegister() throws Exception {
        // c = random 2-bit value; the switch writes a copy into d through gates: d must equal c on every shot.
        Map<String, RegisterData> r = run("qubit[4] q; bit[2] c; bit[2] d; h q[0]; h q[1]; c = measure q[0:1];"
                + " int v; v = c; switch (v) { case 0 { } case 1 { x q[2]; } case 2 { x q[3]; } default { x q[2]; x q[3]; } }"
                + " d = measure q[2:3];", 4000, 9);
        List<String> cs = r.get("c").samples();
        List<String> ds = r.get("d").samples();
        assertThat(ds).isEqualTo(cs);
        assertThat(r.get("c").counts()).hasSize(4);
    }

    @Test
    void classicalExpressionsAndAssignments() throws Exception {
        // Two measured random bits a, b; derived bits computed classically must match on every shot.
        Map<String, RegisterData> r = run("qubit[2] q; bit[2] m; bit[6] out; h q; m = measure q;"
                + " out[0] = m[0] && m[1]; out[1] = m[0] || m[1]; out[2] = m[0] ^ m[1]; out[3] = !m[0];"
                + " out[4] = (m & 2) == 2; out[5] = m[0]; uint[4] n = m; n = n << 2; n = rotl(n, 1) | popcount(m);"
                + " if (n >= 8 && !(m == 1)) { x q[0]; } else { if (m == 1) { x q[1]; } }", 4000, 11);
        List<String> ms = r.get("m").samples();
        List<String> outs = r.get("out").samples();
        for (int s = 0; s < ms.size(); s++) {
            int m = Integer.decode(ms.get(s));
            int a = m & 1;
            int b = m >> 1;
            int expected = (a & b) | (a | b) << 1 | (a ^ b) << 2 | (1 - a) << 3 | b << 4 | a << 5;
            assertThat(Integer.decode(outs.get(s))).as("shot %d, m=%d", s, m).isEqualTo(expected);
        }
        assertThat(only("qubit[1] q; bit[1] c; bool f = true; f = !f; uint[8] n = 5; n = n ^ ~n; const int k = 3;"
                + " float x = arccos(-1) + arcsin(0) + arctan(0) + log(exp(1)) - 1 + sqrt(4) - 2 + ceiling(0.5) - floor(1.5)"
                + " + mod(7, 4) - 3; if (!f && n == 255 && k * 2 == 6 && x > 3.14 && x < 3.15) x q[0]; c = measure q;", "c"))
                .isEqualTo("1");
    }

    @Test
    void declarationsSlicesIndexSetsPragmasAndBoxes() throws Exception {
        assertThat(only("#pragma anything goes here\npragma also this\nqubit[4] q; output bit[4] c; const uint n = 2;"
                + " stretch s; box { x q[{0, n}]; } delay[2 * s] q[0]; box[100ns] { barrier q; } c[0:3] = measure q[0:3];",
                "c")).isEqualTo("0101");
        assertThat(only("qubit[3] q; bit[3] c; x q[-1]; measure q[0]; c = measure q;", "c")).isEqualTo("100");
    }

    @Test
    void measureWithoutTargetCollapses() throws Exception {
        // H, measure (no target), H: the collapse makes the outcome random; without it H·H = I gives 0.
        Map<String, Integer> counts = run("qubit[1] q; bit[1] c; h q[0]; measure q[0]; h q[0]; c = measure q;", 10_000, 4)
                .get("c").counts();
        assertThat(counts.get("1")).isBetween(4750, 5250);
    }

    @Test
    void conditionSeesTheBitMeasuredInsideItsOwnBlock() throws Exception {
        // Old lowering copied the condition onto every instruction of the block: after the block's own
        // measurement changed c[0], the later x was skipped. The branch evaluates once.
        assertThat(only("qubit[2] q; bit[2] c; x q[1]; c[0] = measure q[1]; if (c[0]) { reset q[1]; c[0] = measure q[1];"
                + " x q[0]; } c[1] = measure q[0];", "c")).isEqualTo("10");
    }

    @Test
    void nonFiniteBoundAnglesAreRefusedNamingTheGate() {
        String qasm = H + "input float[64] t; qubit[1] q; bit[1] c; rx(1/t) q[0]; c = measure q;";
        assertThatThrownBy(() -> sim.prepare(PrimitiveRequest.sampler(List.of(new Pub(qasm, List.of(List.of(0.0)), null,
                null, null)), 10, 1L)))
                .isInstanceOf(SimulationException.class)
                .hasMessageContaining("gate 'rx' got a non-finite angle (Infinity)")
                .satisfies(e -> assertThat(((SimulationException) e).reason()).isEqualTo("InvalidParameters"));
    }

    @Test
    void refusalsNameTheFeature() {
        for (String[] c : new String[][] {
                {"def f(qubit a) { h a; }", "subroutines ('def')"},
                {"qubit[1] q; gate g a { measure a; }", "'measure' inside a gate definition"},
                {"qubit[1] q; bit[1] c; c[0] = measure q[0]; int x = c; rx(x) q[0];", "a gate parameter that depends on a value known only at run time"},
                {"qubit[1] q; bit[1] c; c[0] = measure q[0]; for int i in [0:1] { rx(c) q[0]; }", "known only at run time"},
                {"qubit[1] q; array[int[8], 2] a;", "arrays"},
        }) {
            assertThatThrownBy(() -> sim.prepare(PrimitiveRequest.sampler(List.of(Pub.sampler(H + c[0])), 10, 1L)))
                    .as(c[0]).hasMessageContaining(c[1]);
        }
    }
}
