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

    /**
     * 4x4 matrix on operands {@code (q0, q1)}; local index bit 0 = {@code q0}. The matrix is copied into
     * locals first: the JIT cannot prove it does not alias the state array, and would otherwise reload all
     * 32 entries after every store.
     */
    public void apply2(int q0, int q1, double[] m) {
        final double a00r = m[0], a00i = m[1], a01r = m[2], a01i = m[3], a02r = m[4], a02i = m[5], a03r = m[6], a03i = m[7];
        final double a10r = m[8], a10i = m[9], a11r = m[10], a11i = m[11], a12r = m[12], a12i = m[13], a13r = m[14], a13i = m[15];
        final double a20r = m[16], a20i = m[17], a21r = m[18], a21i = m[19], a22r = m[20], a22i = m[21], a23r = m[22], a23i = m[23];
        final double a30r = m[24], a30i = m[25], a31r = m[26], a31i = m[27], a32r = m[28], a32i = m[29], a33r = m[30], a33i = m[31];
        final double[] a = amp;
        final int lo = Math.min(q0, q1);
        final int hi = Math.max(q0, q1);
        final int s1 = 2 << q0; // offsets in doubles of local indices 1, 2, 3
        final int s2 = 2 << q1;
        final int s3 = s1 + s2;
        final int loStride = 2 << lo;
        final int hiStride = 2 << hi;
        final int len = a.length;
        // Three nested loops walk exactly the indices with both bits clear, innermost contiguous.
        for (int outer = 0; outer < len; outer += 2 * hiStride) {
            for (int mid = outer; mid < outer + hiStride; mid += 2 * loStride) {
                final int end = mid + loStride;
                for (int i0 = mid; i0 < end; i0 += 2) {
                    final int i1 = i0 + s1, i2 = i0 + s2, i3 = i0 + s3;
                    final double v0r = a[i0], v0i = a[i0 + 1], v1r = a[i1], v1i = a[i1 + 1];
                    final double v2r = a[i2], v2i = a[i2 + 1], v3r = a[i3], v3i = a[i3 + 1];
                    a[i0] = a00r * v0r - a00i * v0i + a01r * v1r - a01i * v1i + a02r * v2r - a02i * v2i + a03r * v3r - a03i * v3i;
                    a[i0 + 1] = a00r * v0i + a00i * v0r + a01r * v1i + a01i * v1r + a02r * v2i + a02i * v2r + a03r * v3i + a03i * v3r;
                    a[i1] = a10r * v0r - a10i * v0i + a11r * v1r - a11i * v1i + a12r * v2r - a12i * v2i + a13r * v3r - a13i * v3i;
                    a[i1 + 1] = a10r * v0i + a10i * v0r + a11r * v1i + a11i * v1r + a12r * v2i + a12i * v2r + a13r * v3i + a13i * v3r;
                    a[i2] = a20r * v0r - a20i * v0i + a21r * v1r - a21i * v1i + a22r * v2r - a22i * v2i + a23r * v3r - a23i * v3i;
                    a[i2 + 1] = a20r * v0i + a20i * v0r + a21r * v1i + a21i * v1r + a22r * v2i + a22i * v2r + a23r * v3i + a23i * v3r;
                    a[i3] = a30r * v0r - a30i * v0i + a31r * v1r - a31i * v1i + a32r * v2r - a32i * v2i + a33r * v3r - a33i * v3i;
                    a[i3 + 1] = a30r * v0i + a30i * v0r + a31r * v1i + a31i * v1r + a32r * v2i + a32i * v2r + a33r * v3i + a33i * v3r;
                }
            }
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
