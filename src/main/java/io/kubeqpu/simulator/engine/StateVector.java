package io.kubeqpu.simulator.engine;

import java.util.SplittableRandom;

/**
 * A pure state of {@code n} qubits as {@code 2^n} complex amplitudes, interleaved {@code re, im} in one
 * {@code double[]} (index bit {@code q} = state of qubit {@code q}). The gate kernels are plain loops over
 * primitive arrays: no allocation and no complex-number objects per amplitude, so the JIT keeps them in
 * registers and they run at memory bandwidth for large states.
 */
public final class StateVector {
    /** 2^28 amplitudes = 4 GiB; the array index limit of a {@code double[]} is reached at 30 qubits. */
    public static final int MAX_QUBITS = 29;

    private final int numQubits;
    private final double[] amp;

    public StateVector(int numQubits) {
        if (numQubits < 0 || numQubits > MAX_QUBITS) {
            throw new IllegalArgumentException("cannot simulate " + numQubits + " qubits");
        }
        this.numQubits = numQubits;
        this.amp = new double[2 << numQubits];
        amp[0] = 1;
    }

    private StateVector(int numQubits, double[] amp) {
        this.numQubits = numQubits;
        this.amp = amp;
    }

    public int numQubits() {
        return numQubits;
    }

    /** The backing array (interleaved re/im); exposed for sampling and tests, not copied. */
    public double[] amplitudes() {
        return amp;
    }

    public StateVector copy() {
        return new StateVector(numQubits, amp.clone());
    }

    /** Overwrites this state with {@code other} (same width) without allocating. */
    public void copyFrom(StateVector other) {
        System.arraycopy(other.amp, 0, amp, 0, amp.length);
    }

    public void apply(int[] qubits, double[] m) {
        switch (qubits.length) {
            case 1:
                apply1(qubits[0], m);
                break;
            case 2:
                apply2(qubits[0], qubits[1], m);
                break;
            default:
                applyK(qubits, m);
        }
    }

    /** 2x2 matrix on qubit {@code q}. */
    public void apply1(int q, double[] m) {
        final double m00r = m[0], m00i = m[1], m01r = m[2], m01i = m[3];
        final double m10r = m[4], m10i = m[5], m11r = m[6], m11i = m[7];
        final double[] a = amp;
        final int stride = 2 << q; // in doubles
        final int len = a.length;
        for (int block = 0; block < len; block += 2 * stride) {
            final int end = block + stride;
            for (int i = block; i < end; i += 2) {
                final int j = i + stride;
                final double ar = a[i], ai = a[i + 1], br = a[j], bi = a[j + 1];
                a[i] = m00r * ar - m00i * ai + m01r * br - m01i * bi;
                a[i + 1] = m00r * ai + m00i * ar + m01r * bi + m01i * br;
                a[j] = m10r * ar - m10i * ai + m11r * br - m11i * bi;
                a[j + 1] = m10r * ai + m10i * ar + m11r * bi + m11i * br;
            }
        }
    }

    /** 4x4 matrix on operands {@code (q0, q1)}; local index bit 0 = {@code q0}. */
    public void apply2(int q0, int q1, double[] m) {
        final double[] a = amp;
        final int lo = Math.min(q0, q1);
        final int hi = Math.max(q0, q1);
        final int s1 = 2 << q0; // offsets in doubles of local indices 1, 2, 3
        final int s2 = 2 << q1;
        final int s3 = s1 + s2;
        final int count = 1 << (numQubits - 2);
        final int loMask = (1 << lo) - 1;
        for (int k = 0; k < count; k++) {
            // insert zero bits at positions lo and hi
            int x = ((k & ~loMask) << 1) | (k & loMask);
            x = ((x & ~((1 << hi) - 1)) << 1) | (x & ((1 << hi) - 1));
            final int i0 = 2 * x, i1 = i0 + s1, i2 = i0 + s2, i3 = i0 + s3;
            final double v0r = a[i0], v0i = a[i0 + 1], v1r = a[i1], v1i = a[i1 + 1];
            final double v2r = a[i2], v2i = a[i2 + 1], v3r = a[i3], v3i = a[i3 + 1];
            a[i0] = m[0] * v0r - m[1] * v0i + m[2] * v1r - m[3] * v1i + m[4] * v2r - m[5] * v2i + m[6] * v3r - m[7] * v3i;
            a[i0 + 1] = m[0] * v0i + m[1] * v0r + m[2] * v1i + m[3] * v1r + m[4] * v2i + m[5] * v2r + m[6] * v3i + m[7] * v3r;
            a[i1] = m[8] * v0r - m[9] * v0i + m[10] * v1r - m[11] * v1i + m[12] * v2r - m[13] * v2i + m[14] * v3r - m[15] * v3i;
            a[i1 + 1] = m[8] * v0i + m[9] * v0r + m[10] * v1i + m[11] * v1r + m[12] * v2i + m[13] * v2r + m[14] * v3i + m[15] * v3r;
            a[i2] = m[16] * v0r - m[17] * v0i + m[18] * v1r - m[19] * v1i + m[20] * v2r - m[21] * v2i + m[22] * v3r - m[23] * v3i;
            a[i2 + 1] = m[16] * v0i + m[17] * v0r + m[18] * v1i + m[19] * v1r + m[20] * v2i + m[21] * v2r + m[22] * v3i + m[23] * v3r;
            a[i3] = m[24] * v0r - m[25] * v0i + m[26] * v1r - m[27] * v1i + m[28] * v2r - m[29] * v2i + m[30] * v3r - m[31] * v3i;
            a[i3 + 1] = m[24] * v0i + m[25] * v0r + m[26] * v1i + m[27] * v1r + m[28] * v2i + m[29] * v2r + m[30] * v3i + m[31] * v3r;
        }
    }

    /** General k-qubit matrix (k ≥ 3 in practice); gathers the 2^k amplitudes into scratch arrays. */
    public void applyK(int[] qubits, double[] m) {
        final int k = qubits.length;
        final int d = 1 << k;
        final int[] sorted = qubits.clone();
        java.util.Arrays.sort(sorted);
        final int[] offset = new int[d];
        for (int local = 0; local < d; local++) {
            int o = 0;
            for (int j = 0; j < k; j++) {
                if ((local >> j & 1) != 0) {
                    o |= 1 << qubits[j];
                }
            }
            offset[local] = 2 * o;
        }
        final double[] vr = new double[d];
        final double[] vi = new double[d];
        final double[] a = amp;
        final int count = 1 << (numQubits - k);
        for (int c = 0; c < count; c++) {
            int x = c;
            for (int b : sorted) {
                x = ((x >> b) << (b + 1)) | (x & ((1 << b) - 1));
            }
            final int base = 2 * x;
            for (int l = 0; l < d; l++) {
                vr[l] = a[base + offset[l]];
                vi[l] = a[base + offset[l] + 1];
            }
            for (int r = 0; r < d; r++) {
                double sr = 0;
                double si = 0;
                final int row = 2 * r * d;
                for (int l = 0; l < d; l++) {
                    final double mr = m[row + 2 * l];
                    final double mi = m[row + 2 * l + 1];
                    sr += mr * vr[l] - mi * vi[l];
                    si += mr * vi[l] + mi * vr[l];
                }
                a[base + offset[r]] = sr;
                a[base + offset[r] + 1] = si;
            }
        }
    }

    /** Probability that measuring qubit {@code q} gives 1. */
    public double probabilityOfOne(int q) {
        final double[] a = amp;
        final int stride = 2 << q;
        double p = 0;
        for (int block = stride; block < a.length; block += 2 * stride) {
            for (int i = block; i < block + stride; i += 2) {
                p += a[i] * a[i] + a[i + 1] * a[i + 1];
            }
        }
        return p;
    }

    /** Projective measurement of qubit {@code q}; returns the outcome and leaves the collapsed state. */
    public boolean measure(int q, SplittableRandom rng) {
        double p1 = probabilityOfOne(q);
        boolean one = rng.nextDouble() < p1;
        collapse(q, one, one ? p1 : 1 - p1);
        return one;
    }

    /** Projects qubit {@code q} on {@code |outcome⟩} and renormalises ({@code probability} of that outcome). */
    public void collapse(int q, boolean outcome, double probability) {
        final double[] a = amp;
        final int stride = 2 << q;
        final double norm = probability > 0 ? 1 / Math.sqrt(probability) : 0;
        for (int block = 0; block < a.length; block += 2 * stride) {
            int keep = outcome ? block + stride : block;
            int drop = outcome ? block : block + stride;
            for (int i = 0; i < stride; i++) {
                a[keep + i] *= norm;
                a[drop + i] = 0;
            }
        }
    }

    /** Measures {@code q} and flips it back to |0⟩ if it was |1⟩ (OpenQASM {@code reset}). */
    public void reset(int q, SplittableRandom rng) {
        if (measure(q, rng)) {
            final double[] a = amp;
            final int stride = 2 << q;
            for (int block = 0; block < a.length; block += 2 * stride) {
                System.arraycopy(a, block + stride, a, block, stride);
                java.util.Arrays.fill(a, block + stride, block + 2 * stride, 0);
            }
        }
    }

    /**
     * ⟨ψ|P|ψ⟩ for the Pauli product with X-part {@code xMask} and Z-part {@code zMask} (Y sets both bits).
     * P|i⟩ = i^{#Y} (−1)^{|i ∧ zMask|} |i ⊕ xMask⟩.
     */
    public double expectationPauli(int xMask, int zMask) {
        final double[] a = amp;
        final int n = a.length / 2;
        double re = 0;
        double im = 0;
        for (int i = 0; i < n; i++) {
            final int j = i ^ xMask;
            final double ar = a[2 * i], ai = a[2 * i + 1];
            final double br = a[2 * j], bi = a[2 * j + 1];
            // conj(b) * a
            double pr = br * ar + bi * ai;
            double pi = br * ai - bi * ar;
            if ((Integer.bitCount(i & zMask) & 1) != 0) {
                pr = -pr;
                pi = -pi;
            }
            re += pr;
            im += pi;
        }
        switch (Integer.bitCount(xMask & zMask) & 3) {
            case 0: return re;
            case 1: return -im;
            case 2: return -re;
            default: return im;
        }
    }

    public double norm() {
        double s = 0;
        for (double v : amp) {
            s += v * v;
        }
        return s;
    }
}
