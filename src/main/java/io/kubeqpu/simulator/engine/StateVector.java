package io.kubeqpu.simulator.engine;

/**
 * A pure state of {@code n} qubits as {@code 2^n} complex amplitudes, interleaved {@code re, im} in one
 * {@code double[]} (index bit {@code q} = state of qubit {@code q}). The gate kernels are plain loops over
 * primitive arrays (no allocation, no complex-number objects) over a range of the "compressed" index — the
 * index with the target bits removed — so a sweep splits into contiguous ranges for {@link Parallelism}'s
 * threads. Ranges write disjoint amplitudes, so results are the same on any thread count.
 */
public final class StateVector {
    /** 2^28 amplitudes = 4 GiB; the array index limit of a {@code double[]} is reached at 30 qubits. */
    public static final int MAX_QUBITS = 29;

    private final int numQubits;
    private final double[] amp;
    private final Parallelism par;

    public StateVector(int numQubits) {
        this(numQubits, Parallelism.SERIAL);
    }

    public StateVector(int numQubits, Parallelism par) {
        if (numQubits < 0 || numQubits > MAX_QUBITS) {
            throw new IllegalArgumentException("cannot simulate " + numQubits + " qubits");
        }
        this.numQubits = numQubits;
        this.amp = new double[2 << numQubits];
        this.par = par;
        amp[0] = 1;
    }

    private StateVector(int numQubits, double[] amp, Parallelism par) {
        this.numQubits = numQubits;
        this.amp = amp;
        this.par = par;
    }

    /** |index⟩ on {@code numQubits} qubits. */
    public static StateVector basis(int numQubits, int index) {
        StateVector s = new StateVector(numQubits);
        s.amp[0] = 0;
        s.amp[2 * index] = 1;
        return s;
    }

    /** Bytes of the amplitude array of an {@code n}-qubit state. */
    public static long bytes(int numQubits) {
        return 16L << numQubits;
    }

    public int numQubits() {
        return numQubits;
    }

    /** The backing array (interleaved re/im); exposed for sampling and tests, not copied. */
    public double[] amplitudes() {
        return amp;
    }

    public StateVector copy() {
        double[] a = new double[amp.length];
        par.forRange(amp.length, (from, to) -> System.arraycopy(amp, (int) from, a, (int) from, (int) (to - from)));
        return new StateVector(numQubits, a, par);
    }

    /** Overwrites this state with {@code other} (same width) without allocating. */
    public void copyFrom(StateVector other) {
        par.forRange(amp.length, (from, to) -> System.arraycopy(other.amp, (int) from, amp, (int) from, (int) (to - from)));
    }

    /** Back to |0…0⟩. */
    public void setZero() {
        par.forRange(amp.length, (from, to) -> java.util.Arrays.fill(amp, (int) from, (int) to, 0));
        amp[0] = 1;
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
        par.forRange(amp.length >> 2, (from, to) -> apply1(q, m, from, to));
    }

    private void apply1(int q, double[] m, long from, long to) {
        final double m00r = m[0], m00i = m[1], m01r = m[2], m01i = m[3];
        final double m10r = m[4], m10i = m[5], m11r = m[6], m11i = m[7];
        final double[] a = amp;
        final int stride = 2 << q; // in doubles
        final long mask = (1L << q) - 1;
        // Target 0: the pairs are adjacent, one contiguous run with a step of two amplitudes.
        final int step = q == 0 ? 4 : 2;
        long k = from;
        while (k < to) {
            final long runEnd = q == 0 ? to : Math.min(to, (k | mask) + 1);
            final int start = (int) ((((k >> q) << (q + 1)) | (k & mask)) << 1);
            final int end = start + (int) (runEnd - k) * step;
            for (int i = start; i < end; i += step) {
                final int j = i + stride;
                final double ar = a[i], ai = a[i + 1], br = a[j], bi = a[j + 1];
                a[i] = m00r * ar - m00i * ai + m01r * br - m01i * bi;
                a[i + 1] = m00r * ai + m00i * ar + m01r * bi + m01i * br;
                a[j] = m10r * ar - m10i * ai + m11r * br - m11i * bi;
                a[j + 1] = m10r * ai + m10i * ar + m11r * bi + m11i * br;
            }
            k = runEnd;
        }
    }

    /**
     * 4x4 matrix on operands {@code (q0, q1)}; local index bit 0 = {@code q0}. The matrix is copied into
     * locals first: the JIT cannot prove it does not alias the state array, and would otherwise reload all
     * 32 entries after every store.
     */
    public void apply2(int q0, int q1, double[] m) {
        par.forRange(amp.length >> 3, (from, to) -> apply2(q0, q1, m, from, to));
    }

    private void apply2(int q0, int q1, double[] m, long from, long to) {
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
        final long loMask = (1L << lo) - 1;
        final long hiMask = (1L << hi) - 1;
        // Lowest operand 0: groups are two amplitudes apart, contiguous up to the high bit.
        final int step = lo == 0 ? 4 : 2;
        final long runMask = lo == 0 ? (1L << (hi - 1)) - 1 : loMask;
        long k = from;
        while (k < to) {
            final long runEnd = Math.min(to, (k | runMask) + 1);
            long x = ((k >> lo) << (lo + 1)) | (k & loMask);
            x = ((x >> hi) << (hi + 1)) | (x & hiMask);
            final int start = (int) (x << 1);
            final int end = start + (int) (runEnd - k) * step;
            for (int i0 = start; i0 < end; i0 += step) {
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
            k = runEnd;
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
        final double[] a = amp;
        par.forRange(1L << (numQubits - k), Math.max(1, Parallelism.MIN_PARALLEL >> k), (from, to) -> {
            final double[] vr = new double[d];
            final double[] vi = new double[d];
            for (long c = from; c < to; c++) {
                long x = c;
                for (int b : sorted) {
                    x = ((x >> b) << (b + 1)) | (x & ((1L << b) - 1));
                }
                final int base = (int) (2 * x);
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
        });
    }

    /**
     * Multiplies each amplitude by the phase {@code diag[idx]}, idx = the bits of {@code qubits} in the amplitude's
     * index (bit j = qubits[j]). The index is assembled from three 10-bit lookup tables, so the sweep costs a
     * few table reads and one complex product per amplitude whatever the number of gates fused into it.
     */
    public void applyDiagonal(int[] qubits, double[] diag) {
        final int[][] lut = new int[3][1024];
        for (int j = 0; j < qubits.length; j++) {
            int chunk = qubits[j] / 10;
            int bit = qubits[j] % 10;
            for (int v = 0; v < 1024; v++) {
                if ((v >> bit & 1) != 0) {
                    lut[chunk][v] |= 1 << j;
                }
            }
        }
        final int[] l0 = lut[0];
        final int[] l1 = lut[1];
        final int[] l2 = lut[2];
        final double[] a = amp;
        par.forRange(amp.length >> 1, (from, to) -> {
            for (int i = (int) from; i < to; i++) {
                final int idx = 2 * (l0[i & 1023] | l1[(i >> 10) & 1023] | l2[(i >> 20) & 1023]);
                final double pr = diag[idx];
                final double pi = diag[idx + 1];
                final double ar = a[2 * i];
                final double ai = a[2 * i + 1];
                a[2 * i] = ar * pr - ai * pi;
                a[2 * i + 1] = ar * pi + ai * pr;
            }
        });
    }

    /** Probability that measuring qubit {@code q} gives 1. */
    public double probabilityOfOne(int q) {
        final double[] a = amp;
        final long mask = (1L << q) - 1;
        final int stride = 2 << q;
        return par.sum(amp.length >> 2, (from, to) -> {
            double p = 0;
            long k = from;
            while (k < to) {
                final long runEnd = Math.min(to, (k | mask) + 1);
                final int start = (int) ((((k >> q) << (q + 1)) | (k & mask)) << 1) + stride;
                final int end = start + (int) (runEnd - k) * 2;
                for (int i = start; i < end; i += 2) {
                    p += a[i] * a[i] + a[i + 1] * a[i + 1];
                }
                k = runEnd;
            }
            return p;
        });
    }

    /** Projective measurement of qubit {@code q}; returns the outcome and leaves the collapsed state. */
    public boolean measure(int q, java.util.SplittableRandom rng) {
        double p1 = probabilityOfOne(q);
        boolean one = rng.nextDouble() < p1;
        collapse(q, one, one ? p1 : 1 - p1);
        return one;
    }

    /** Projects qubit {@code q} on {@code |outcome⟩} and renormalises ({@code probability} of that outcome). */
    public void collapse(int q, boolean outcome, double probability) {
        project(q, outcome, probability, false);
    }

    /**
     * Projects qubit {@code q} on {@code |outcome⟩}, renormalises, and with {@code toZero} moves the result
     * to |0⟩ on that qubit (a reset that found {@code outcome}) — one pass.
     */
    public void project(int q, boolean outcome, double probability, boolean toZero) {
        final double[] a = amp;
        final int stride = 2 << q;
        final long mask = (1L << q) - 1;
        final double norm = probability > 0 ? 1 / Math.sqrt(probability) : 0;
        par.forRange(amp.length >> 2, (from, to) -> {
            long k = from;
            while (k < to) {
                final long runEnd = Math.min(to, (k | mask) + 1);
                final int start = (int) ((((k >> q) << (q + 1)) | (k & mask)) << 1);
                final int end = start + (int) (runEnd - k) * 2;
                for (int i = start; i < end; i++) {
                    final int j = i + stride;
                    if (!outcome) {
                        a[i] *= norm;
                        a[j] = 0;
                    } else if (toZero) {
                        a[i] = a[j] * norm;
                        a[j] = 0;
                    } else {
                        a[j] *= norm;
                        a[i] = 0;
                    }
                }
                k = runEnd;
            }
        });
    }

    /** Measures {@code q} and flips it back to |0⟩ if it was |1⟩ (OpenQASM {@code reset}). */
    public void reset(int q, java.util.SplittableRandom rng) {
        double p1 = probabilityOfOne(q);
        boolean one = rng.nextDouble() < p1;
        project(q, one, one ? p1 : 1 - p1, true);
    }

    /**
     * ⟨ψ|P|ψ⟩ for the Pauli product with X-part {@code xMask} and Z-part {@code zMask} (Y sets both bits).
     * P|i⟩ = i^{#Y} (−1)^{|i ∧ zMask|} |i ⊕ xMask⟩.
     */
    public double expectationPauli(int xMask, int zMask) {
        final double[] a = amp;
        final int n = a.length / 2;
        int phase = Integer.bitCount(xMask & zMask) & 3;
        // Only the real part (phase 0, 2) or the imaginary part (phase 1, 3) of Σ conj(b)·a·sign is needed.
        final boolean wantIm = (phase & 1) != 0;
        double s = par.sum(n, (from, to) -> {
            double acc = 0;
            for (int i = (int) from; i < to; i++) {
                final int j = i ^ xMask;
                final double ar = a[2 * i], ai = a[2 * i + 1];
                final double br = a[2 * j], bi = a[2 * j + 1];
                double v = wantIm ? br * ai - bi * ar : br * ar + bi * ai;
                acc += (Integer.bitCount(i & zMask) & 1) != 0 ? -v : v;
            }
            return acc;
        });
        switch (phase) {
            case 0: return s;
            case 1: return -s;
            case 2: return -s;
            default: return s;
        }
    }

    public double norm() {
        final double[] a = amp;
        return par.sum(a.length, (from, to) -> {
            double s = 0;
            for (int i = (int) from; i < to; i++) {
                s += a[i] * a[i];
            }
            return s;
        });
    }
}
