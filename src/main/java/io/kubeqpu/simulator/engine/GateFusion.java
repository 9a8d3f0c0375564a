package io.kubeqpu.simulator.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Merges gates so the state vector is swept fewer times. Every sweep of a large state costs the same
 * memory traffic whatever the matrix, so fewer, denser matrices win:
 * <ul>
 *   <li>consecutive 1-qubit gates on a qubit multiply into one 2x2;</li>
 *   <li>a 1-qubit gate following a 2-qubit gate on that qubit (with nothing else on the qubit in between)
 *       is folded into the 4x4, and pending 1-qubit gates are folded into the next 2-qubit gate;</li>
 *   <li>consecutive 2-qubit gates on the same pair multiply into one 4x4.</li>
 * </ul>
 * Folding across other operations is valid because gates on disjoint qubits commute.
 */
public final class GateFusion {
    private GateFusion() {
    }

    /** Runs of at least this many diagonal gates become one diagonal sweep. */
    static final int MIN_DIAGONAL_RUN = 4;
    /** Qubits one diagonal sweep may span (its phase table has 2^k entries). */
    static final int MAX_DIAGONAL_QUBITS = 10;

    /**
     * Fuses {@code ops}. Runs of ≥ {@link #MIN_DIAGONAL_RUN} consecutive diagonal gates (cp, rz, cz, rzz… — they
     * all commute) over ≤ {@link #MAX_DIAGONAL_QUBITS} qubits become one diagonal sweep (a QFT's controlled
     * phases: ~10 gates per sweep instead of one); the rest is fused as below, each side of such a run separately.
     */
    public static List<UnitaryOp> fuse(List<UnitaryOp> ops, int numQubits) {
        List<UnitaryOp> out = new ArrayList<>();
        List<UnitaryOp> segment = new ArrayList<>();
        int i = 0;
        while (i < ops.size()) {
            int j = i;
            java.util.TreeSet<Integer> union = new java.util.TreeSet<>();
            while (j < ops.size() && ops.get(j).diagonal() == null && Matrices.isDiagonal(ops.get(j).matrix())) {
                java.util.TreeSet<Integer> grown = new java.util.TreeSet<>(union);
                for (int q : ops.get(j).qubits()) {
                    grown.add(q);
                }
                if (grown.size() > MAX_DIAGONAL_QUBITS) {
                    break;
                }
                union = grown;
                j++;
            }
            if (j - i >= MIN_DIAGONAL_RUN) {
                out.addAll(fuseDense(segment, numQubits));
                segment.clear();
                out.add(diagonalRun(ops.subList(i, j), union.stream().mapToInt(Integer::intValue).toArray()));
                i = j;
            } else {
                segment.add(ops.get(i));
                i++;
            }
        }
        out.addAll(fuseDense(segment, numQubits));
        return out;
    }

    /** The product of diagonal gates as 2^k phases over {@code qubits} (bit j of the index = qubits[j]). */
    private static UnitaryOp diagonalRun(List<UnitaryOp> run, int[] qubits) {
        int k = qubits.length;
        double[] d = new double[2 << k];
        for (int t = 0; t < 1 << k; t++) {
            double re = 1;
            double im = 0;
            for (UnitaryOp op : run) {
                int local = 0;
                for (int b = 0; b < op.qubits().length; b++) {
                    int pos = java.util.Arrays.binarySearch(qubits, op.qubits()[b]);
                    local |= (t >> pos & 1) << b;
                }
                int dim = 1 << op.qubits().length;
                double mr = op.matrix()[2 * (local * dim + local)];
                double mi = op.matrix()[2 * (local * dim + local) + 1];
                double r = re * mr - im * mi;
                im = re * mi + im * mr;
                re = r;
            }
            d[2 * t] = re;
            d[2 * t + 1] = im;
        }
        return new UnitaryOp(qubits, null, d);
    }

    private static List<UnitaryOp> fuseDense(List<UnitaryOp> ops, int numQubits) {
        if (ops.isEmpty()) {
            return List.of();
        }
        List<double[]> matrices = new ArrayList<>();
        List<int[]> qubitsOf = new ArrayList<>();
        int[] last = new int[numQubits]; // index of the last emitted op touching each qubit, or -1
        Arrays.fill(last, -1);
        double[][] pending = new double[numQubits][];

        for (UnitaryOp op : ops) {
            int[] q = op.qubits();
            if (q.length == 1) {
                int t = q[0];
                int j = last[t];
                if (j >= 0 && qubitsOf.get(j).length == 2) {
                    matrices.set(j, Matrices.multiply(embed(op.matrix(), t, qubitsOf.get(j)), matrices.get(j)));
                } else {
                    pending[t] = pending[t] == null ? op.matrix() : Matrices.multiply(op.matrix(), pending[t]);
                }
            } else if (q.length == 2) {
                double[] m = op.matrix();
                if (pending[q[0]] != null || pending[q[1]] != null) {
                    m = Matrices.multiply(m, Matrices.kron(orIdentity(pending[q[1]]), orIdentity(pending[q[0]])));
                    pending[q[0]] = null;
                    pending[q[1]] = null;
                }
                int j = last[q[0]];
                if (j >= 0 && j == last[q[1]] && qubitsOf.get(j).length == 2) {
                    int[] prev = qubitsOf.get(j);
                    double[] aligned = prev[0] == q[0] ? m : Matrices.swapOperands2(m);
                    matrices.set(j, Matrices.multiply(aligned, matrices.get(j)));
                } else {
                    matrices.add(m);
                    qubitsOf.add(q);
                    last[q[0]] = matrices.size() - 1;
                    last[q[1]] = matrices.size() - 1;
                }
            } else {
                for (int t : q) {
                    if (pending[t] != null) {
                        matrices.add(pending[t]);
                        qubitsOf.add(new int[] {t});
                        pending[t] = null;
                    }
                }
                matrices.add(op.matrix());
                qubitsOf.add(q);
                for (int t : q) {
                    last[t] = matrices.size() - 1;
                }
            }
        }
        for (int t = 0; t < numQubits; t++) {
            if (pending[t] != null) {
                matrices.add(pending[t]);
                qubitsOf.add(new int[] {t});
            }
        }
        List<UnitaryOp> fused = new ArrayList<>(matrices.size());
        for (int i = 0; i < matrices.size(); i++) {
            fused.add(new UnitaryOp(qubitsOf.get(i), matrices.get(i)));
        }
        return fused;
    }

    /** A 1-qubit matrix on {@code target} as a 4x4 on {@code pair}. */
    private static double[] embed(double[] m, int target, int[] pair) {
        double[] id = Matrices.identity(2);
        return target == pair[0] ? Matrices.kron(id, m) : Matrices.kron(m, id);
    }

    private static double[] orIdentity(double[] m) {
        return m == null ? Matrices.identity(2) : m;
    }
}
