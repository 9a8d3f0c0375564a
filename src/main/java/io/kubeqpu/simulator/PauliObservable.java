package io.kubeqpu.simulator;

import io.kubeqpu.simulator.engine.StateVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A weighted sum of Pauli strings, e.g. {@code {"ZZ": 1.0, "XI": 0.5}}; the rightmost character acts on
 * qubit 0 (Qiskit's order).
 */
final class PauliObservable {

    /** One term on dense qubit masks; {@code vanishes} when it has X/Y on a qubit the circuit never touches. */
    record Term(String label, double coefficient, int xMask, int zMask, int weight, boolean vanishes) {
    }

    private final List<Term> terms;

    private PauliObservable(List<Term> terms) {
        this.terms = terms;
    }

    List<Term> terms() {
        return terms;
    }

    /**
     * @param layout     dense index per virtual qubit (-1 = untouched, still |0⟩)
     * @param minWidth   the circuit's width
     * @param maxWidth   the backend's width (ISA observables span the whole device)
     */
    static PauliObservable parse(Map<String, Double> spec, int[] layout, int minWidth, int maxWidth)
            throws SimulationException {
        if (spec == null || spec.isEmpty()) {
            throw new SimulationException(SimulationException.INVALID_OBSERVABLE, "an observable needs at least one term");
        }
        List<Term> terms = new ArrayList<>();
        for (Map.Entry<String, Double> e : spec.entrySet()) {
            String label = e.getKey();
            Double coefficient = e.getValue();
            if (label == null || label.length() < minWidth || label.length() > maxWidth) {
                throw new SimulationException(SimulationException.INVALID_OBSERVABLE, "Pauli string '" + label
                        + "' must have between " + minWidth + " (circuit width) and " + maxWidth + " characters");
            }
            if (coefficient == null || !Double.isFinite(coefficient)) {
                throw new SimulationException(SimulationException.INVALID_OBSERVABLE,
                        "Pauli string '" + label + "' needs a finite coefficient");
            }
            int x = 0;
            int z = 0;
            int weight = 0;
            boolean vanishes = false;
            for (int q = 0; q < label.length(); q++) {
                char c = label.charAt(label.length() - 1 - q);
                if ("IXYZ".indexOf(c) < 0) {
                    throw new SimulationException(SimulationException.INVALID_OBSERVABLE,
                            "Pauli string '" + label + "' may only contain I, X, Y, Z");
                }
                if (c == 'I') {
                    continue;
                }
                weight++;
                int d = q < layout.length ? layout[q] : -1;
                if (d < 0) {
                    vanishes |= c != 'Z'; // ⟨0|X|0⟩ = ⟨0|Y|0⟩ = 0, ⟨0|Z|0⟩ = 1
                    continue;
                }
                if (c == 'X' || c == 'Y') {
                    x |= 1 << d;
                }
                if (c == 'Z' || c == 'Y') {
                    z |= 1 << d;
                }
            }
            terms.add(new Term(label, coefficient, x, z, weight, vanishes));
        }
        return new PauliObservable(List.copyOf(terms));
    }

    /** Expectation in {@code state} with read-out and global depolarizing noise applied analytically. */
    double expectation(StateVector state, NoiseModel noise) {
        double sum = 0;
        for (Term t : terms) {
            if (t.vanishes()) {
                continue;
            }
            double ev = t.xMask() == 0 && t.zMask() == 0 ? 1 : state.expectationPauli(t.xMask(), t.zMask());
            if (t.weight() > 0) {
                ev *= (1 - noise.depolarizing()) * Math.pow(1 - 2 * noise.readoutError(), t.weight());
            }
            sum += t.coefficient() * ev;
        }
        return sum;
    }

    /**
     * Number of measurement settings a QPU needs for these observables: greedy grouping of the non-identity
     * Pauli strings into qubit-wise commuting sets.
     */
    static int measurementBases(List<PauliObservable> observables) {
        List<char[]> groups = new ArrayList<>();
        for (PauliObservable o : observables) {
            for (Term t : o.terms) {
                char[] p = t.label().toCharArray();
                if (t.weight() == 0) {
                    continue;
                }
                boolean placed = false;
                for (char[] g : groups) {
                    if (g.length == p.length && qubitWiseCommute(g, p)) {
                        for (int i = 0; i < p.length; i++) {
                            if (p[i] != 'I') {
                                g[i] = p[i];
                            }
                        }
                        placed = true;
                        break;
                    }
                }
                if (!placed) {
                    groups.add(p);
                }
            }
        }
        return Math.max(1, groups.size());
    }

    private static boolean qubitWiseCommute(char[] a, char[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != 'I' && b[i] != 'I' && a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }
}
