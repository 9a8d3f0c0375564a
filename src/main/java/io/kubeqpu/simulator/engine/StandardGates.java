package io.kubeqpu.simulator.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The gates of OpenQASM 3's {@code stdgates.inc} and OpenQASM 2's {@code qelib1.inc} (plus the few extra
 * two-qubit gates Qiskit backends use natively), with their unitaries in Qiskit's conventions.
 */
public final class StandardGates {

    /** A built-in gate. {@code canonical} is the name after resolving aliases such as u1 → p. */
    public record GateDef(String name, String canonical, int numParams, int numQubits,
                          Function<double[], double[]> matrix) {
    }

    private static final double S2 = Math.sqrt(0.5);
    private static final double[] X = Matrices.of(0, 0, 1, 0, 1, 0, 0, 0);
    private static final double[] Y = Matrices.of(0, 0, 0, -1, 0, 1, 0, 0);
    private static final double[] Z = Matrices.of(1, 0, 0, 0, 0, 0, -1, 0);
    private static final double[] H = Matrices.of(S2, 0, S2, 0, S2, 0, -S2, 0);
    private static final double[] SX = Matrices.of(0.5, 0.5, 0.5, -0.5, 0.5, -0.5, 0.5, 0.5);
    private static final double[] SWAP = Matrices.of(
            1, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 1, 0, 0, 0,
            0, 0, 1, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 1, 0);
    private static final double[] ECR = Matrices.of(
            0, 0, S2, 0, 0, 0, 0, S2,
            S2, 0, 0, 0, 0, -S2, 0, 0,
            0, 0, 0, S2, 0, 0, S2, 0,
            0, -S2, 0, 0, S2, 0, 0, 0);
    private static final double[] ISWAP = Matrices.of(
            1, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 1, 0, 0,
            0, 0, 0, 1, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 1, 0);

    private static final Map<String, GateDef> GATES = new HashMap<>();

    static {
        fixed("id", 1, Matrices.identity(2));
        alias("i", "id");
        fixed("x", 1, X);
        fixed("y", 1, Y);
        fixed("z", 1, Z);
        fixed("h", 1, H);
        fixed("s", 1, phase(Math.PI / 2));
        fixed("sdg", 1, phase(-Math.PI / 2));
        fixed("t", 1, phase(Math.PI / 4));
        fixed("tdg", 1, phase(-Math.PI / 4));
        fixed("sx", 1, SX);
        fixed("sxdg", 1, Matrices.adjoint(SX));
        param("rx", 1, 1, p -> pauliRotation(X, p[0]));
        param("ry", 1, 1, p -> pauliRotation(Y, p[0]));
        param("rz", 1, 1, p -> rz(p[0]));
        param("p", 1, 1, p -> phase(p[0]));
        alias("phase", "p");
        alias("u1", "p");
        param("u2", 2, 1, p -> u(Math.PI / 2, p[0], p[1]));
        param("u", 3, 1, p -> u(p[0], p[1], p[2]));
        alias("u3", "u");
        alias("U", "u");

        fixed("cx", 2, Matrices.controlled(X, 1));
        alias("CX", "cx");
        fixed("cy", 2, Matrices.controlled(Y, 1));
        fixed("cz", 2, Matrices.controlled(Z, 1));
        fixed("ch", 2, Matrices.controlled(H, 1));
        fixed("csx", 2, Matrices.controlled(SX, 1));
        param("cp", 1, 2, p -> Matrices.controlled(phase(p[0]), 1));
        alias("cphase", "cp");
        alias("cu1", "cp");
        param("crx", 1, 2, p -> Matrices.controlled(pauliRotation(X, p[0]), 1));
        param("cry", 1, 2, p -> Matrices.controlled(pauliRotation(Y, p[0]), 1));
        param("crz", 1, 2, p -> Matrices.controlled(rz(p[0]), 1));
        param("cu", 4, 2, p -> Matrices.controlled(Matrices.scale(u(p[0], p[1], p[2]),
                Math.cos(p[3]), Math.sin(p[3])), 1));
        param("cu3", 3, 2, p -> Matrices.controlled(u(p[0], p[1], p[2]), 1));
        fixed("swap", 2, SWAP);
        fixed("iswap", 2, ISWAP);
        fixed("ecr", 2, ECR);
        // rzz/rxx/ryy: exp(-i θ/2 P⊗P); rzx: exp(-i θ/2 X⊗Z) with Z on the first operand (Qiskit).
        param("rzz", 1, 2, p -> pauliRotation(Matrices.kron(Z, Z), p[0]));
        param("rxx", 1, 2, p -> pauliRotation(Matrices.kron(X, X), p[0]));
        param("ryy", 1, 2, p -> pauliRotation(Matrices.kron(Y, Y), p[0]));
        param("rzx", 1, 2, p -> pauliRotation(Matrices.kron(X, Z), p[0]));

        fixed("ccx", 3, Matrices.controlled(X, 2));
        fixed("ccz", 3, Matrices.controlled(Z, 2));
        fixed("cswap", 3, Matrices.controlled(SWAP, 1));

        // qelib1.inc's extras (Qiskit's OpenQASM 2 export uses them).
        param("u0", 1, 1, p -> Matrices.identity(2)); // an idle of p[0] time units
        fixed("c3x", 4, Matrices.controlled(X, 3));
        fixed("c3sqrtx", 4, Matrices.controlled(SX, 3));
        fixed("c4x", 5, Matrices.controlled(X, 4));
        // Relative-phase Toffolis, from qelib1's definitions (H = u2(0, π), T = u1(π/4)).
        double[] t = phase(Math.PI / 4);
        double[] tdg = phase(-Math.PI / 4);
        double[] cx = Matrices.controlled(X, 1);
        fixed("rccx", 3, compose(3, H, 2, t, 2, cx, 1, 2, tdg, 2, cx, 0, 2, t, 2, cx, 1, 2, tdg, 2, H, 2));
        fixed("rc3x", 4, compose(4, H, 3, t, 3, cx, 2, 3, tdg, 3, H, 3, cx, 0, 3, t, 3, cx, 1, 3, tdg, 3, cx, 0, 3,
                t, 3, cx, 1, 3, tdg, 3, H, 3, t, 3, cx, 2, 3, tdg, 3, H, 3));
    }

    /** The unitary of a gate sequence on {@code k} qubits: matrices each followed by their operand indices. */
    private static double[] compose(int k, Object... ops) {
        java.util.List<double[]> mats = new java.util.ArrayList<>();
        java.util.List<int[]> qubits = new java.util.ArrayList<>();
        for (int i = 0; i < ops.length; ) {
            double[] m = (double[]) ops[i++];
            int n = Integer.numberOfTrailingZeros(Matrices.dim(m));
            int[] q = new int[n];
            for (int j = 0; j < n; j++) {
                q[j] = (Integer) ops[i++];
            }
            mats.add(m);
            qubits.add(q);
        }
        int d = 1 << k;
        double[] result = new double[2 * d * d];
        for (int col = 0; col < d; col++) {
            StateVector sv = StateVector.basis(k, col);
            for (int i = 0; i < mats.size(); i++) {
                sv.apply(qubits.get(i), mats.get(i));
            }
            double[] a = sv.amplitudes();
            for (int row = 0; row < d; row++) {
                result[2 * (row * d + col)] = a[2 * row];
                result[2 * (row * d + col) + 1] = a[2 * row + 1];
            }
        }
        return result;
    }

    private StandardGates() {
    }

    /** The built-in gate called {@code name}, or {@code null}. */
    public static GateDef lookup(String name) {
        return GATES.get(name);
    }

    private static void fixed(String name, int qubits, double[] m) {
        GATES.put(name, new GateDef(name, name, 0, qubits, p -> m));
    }

    private static void param(String name, int params, int qubits, Function<double[], double[]> f) {
        GATES.put(name, new GateDef(name, name, params, qubits, f));
    }

    private static void alias(String alias, String target) {
        GateDef d = GATES.get(target);
        GATES.put(alias, new GateDef(alias, d.canonical(), d.numParams(), d.numQubits(), d.matrix()));
    }

    static double[] phase(double lambda) {
        return Matrices.diagonal(new double[] {1, 0}, Matrices.expI(lambda));
    }

    static double[] rz(double theta) {
        return Matrices.diagonal(Matrices.expI(-theta / 2), Matrices.expI(theta / 2));
    }

    /** exp(-i θ/2 P) = cos(θ/2) I − i sin(θ/2) P for a Pauli product P (P² = I). */
    static double[] pauliRotation(double[] pauli, double theta) {
        int d = Matrices.dim(pauli);
        double c = Math.cos(theta / 2);
        double s = Math.sin(theta / 2);
        double[] m = Matrices.scale(pauli, 0, -s);
        for (int i = 0; i < d; i++) {
            m[2 * (i * d + i)] += c;
        }
        return m;
    }

    /** Qiskit's U(θ, φ, λ). */
    static double[] u(double theta, double phi, double lambda) {
        double c = Math.cos(theta / 2);
        double s = Math.sin(theta / 2);
        double[] el = Matrices.expI(lambda);
        double[] ep = Matrices.expI(phi);
        double[] epl = Matrices.expI(phi + lambda);
        return Matrices.of(
                c, 0, -el[0] * s, -el[1] * s,
                ep[0] * s, ep[1] * s, epl[0] * c, epl[1] * c);
    }
}
