package io.kubeqpu.simulator.engine;

/**
 * Small dense complex matrices stored row-major as interleaved {@code re, im} doubles. Used at compile
 * time only (building and fusing gates), never in the per-amplitude loops.
 *
 * <p>Index convention (Qiskit's little-endian): for a gate on operands {@code q0, q1, ...}, bit {@code j}
 * of a row/column index is the state of operand {@code j}.
 */
public final class Matrices {
    private Matrices() {
    }

    public static int dim(double[] m) {
        int d = (int) Math.round(Math.sqrt(m.length / 2.0));
        if (2 * d * d != m.length) {
            throw new IllegalArgumentException("not a square complex matrix");
        }
        return d;
    }

    /** Builds a matrix from {@code re, im} pairs given row by row. */
    public static double[] of(double... reIm) {
        dim(reIm);
        return reIm.clone();
    }

    public static double[] identity(int d) {
        double[] m = new double[2 * d * d];
        for (int i = 0; i < d; i++) {
            m[2 * (i * d + i)] = 1;
        }
        return m;
    }

    public static double[] diagonal(double[]... phasesReIm) {
        int d = phasesReIm.length;
        double[] m = new double[2 * d * d];
        for (int i = 0; i < d; i++) {
            m[2 * (i * d + i)] = phasesReIm[i][0];
            m[2 * (i * d + i) + 1] = phasesReIm[i][1];
        }
        return m;
    }

    /** e^{i·phi} as {re, im}. */
    public static double[] expI(double phi) {
        return new double[] {Math.cos(phi), Math.sin(phi)};
    }

    /** a·b. */
    public static double[] multiply(double[] a, double[] b) {
        int d = dim(a);
        if (dim(b) != d) {
            throw new IllegalArgumentException("dimension mismatch");
        }
        double[] c = new double[2 * d * d];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < d; k++) {
                double ar = a[2 * (i * d + k)];
                double ai = a[2 * (i * d + k) + 1];
                if (ar == 0 && ai == 0) {
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    double br = b[2 * (k * d + j)];
                    double bi = b[2 * (k * d + j) + 1];
                    c[2 * (i * d + j)] += ar * br - ai * bi;
                    c[2 * (i * d + j) + 1] += ar * bi + ai * br;
                }
            }
        }
        return c;
    }

    /** high ⊗ low: {@code low} acts on the low-order index bits (operand 0), {@code high} on the next ones. */
    public static double[] kron(double[] high, double[] low) {
        int dh = dim(high);
        int dl = dim(low);
        int d = dh * dl;
        double[] m = new double[2 * d * d];
        for (int hr = 0; hr < dh; hr++) {
            for (int hc = 0; hc < dh; hc++) {
                double xr = high[2 * (hr * dh + hc)];
                double xi = high[2 * (hr * dh + hc) + 1];
                for (int lr = 0; lr < dl; lr++) {
                    for (int lc = 0; lc < dl; lc++) {
                        double yr = low[2 * (lr * dl + lc)];
                        double yi = low[2 * (lr * dl + lc) + 1];
                        int r = hr * dl + lr;
                        int c = hc * dl + lc;
                        m[2 * (r * d + c)] = xr * yr - xi * yi;
                        m[2 * (r * d + c) + 1] = xr * yi + xi * yr;
                    }
                }
            }
        }
        return m;
    }

    /** Conjugate transpose. */
    public static double[] adjoint(double[] a) {
        int d = dim(a);
        double[] m = new double[a.length];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                m[2 * (j * d + i)] = a[2 * (i * d + j)];
                m[2 * (j * d + i) + 1] = -a[2 * (i * d + j) + 1];
            }
        }
        return m;
    }

    public static double[] scale(double[] a, double re, double im) {
        double[] m = new double[a.length];
        for (int i = 0; i < a.length; i += 2) {
            m[i] = a[i] * re - a[i + 1] * im;
            m[i + 1] = a[i] * im + a[i + 1] * re;
        }
        return m;
    }

    /**
     * The controlled version of {@code u} with {@code numControls} controls as the first operands
     * (low-order bits), the targets of {@code u} after them.
     */
    public static double[] controlled(double[] u, int numControls) {
        int du = dim(u);
        int cdim = 1 << numControls;
        int d = du * cdim;
        int cmask = cdim - 1;
        double[] m = identity(d);
        for (int r = 0; r < du; r++) {
            for (int c = 0; c < du; c++) {
                int row = (r << numControls) | cmask;
                int col = (c << numControls) | cmask;
                m[2 * (row * d + col)] = u[2 * (r * du + c)];
                m[2 * (row * d + col) + 1] = u[2 * (r * du + c) + 1];
            }
        }
        return m;
    }

    /** Re-expresses a matrix on operands {@code (a, b)} as one on {@code (b, a)}. */
    public static double[] swapOperands2(double[] m) {
        double[] out = new double[32];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                int rs = ((r & 1) << 1) | (r >> 1);
                int cs = ((c & 1) << 1) | (c >> 1);
                out[2 * (rs * 4 + cs)] = m[2 * (r * 4 + c)];
                out[2 * (rs * 4 + cs) + 1] = m[2 * (r * 4 + c) + 1];
            }
        }
        return out;
    }

    public static boolean isDiagonal(double[] m) {
        int d = dim(m);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                if (i != j && (m[2 * (i * d + j)] != 0 || m[2 * (i * d + j) + 1] != 0)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code m} with the control bits in {@code mask} negated: entry (i, j) becomes (i ^ mask, j ^ mask). */
    public static double[] flipControls(double[] m, int mask) {
        int d = dim(m);
        double[] out = new double[m.length];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                int src = 2 * ((r ^ mask) * d + (c ^ mask));
                out[2 * (r * d + c)] = m[src];
                out[2 * (r * d + c) + 1] = m[src + 1];
            }
        }
        return out;
    }

    /**
     * {@code u^k} for a unitary {@code u} (OpenQASM's {@code pow(k) @}). Integer k: repeated products (negative
     * k uses the adjoint). Otherwise eigenvalues are raised on the principal branch, as Qiskit's
     * {@code Gate.power} does: for diagonal matrices of any size and for 2x2 matrices.
     */
    public static double[] power(double[] u, double k) {
        int d = dim(u);
        if (k == Math.rint(k) && Math.abs(k) <= 1 << 20) {
            long n = (long) Math.abs(k);
            double[] base = k < 0 ? adjoint(u) : u;
            double[] result = identity(d);
            while (n > 0) {
                if ((n & 1) != 0) {
                    result = multiply(result, base);
                }
                base = multiply(base, base);
                n >>= 1;
            }
            return result;
        }
        if (isDiagonal(u)) {
            double[] m = new double[u.length];
            for (int i = 0; i < d; i++) {
                double[] z = complexPower(u[2 * (i * d + i)], u[2 * (i * d + i) + 1], k);
                m[2 * (i * d + i)] = z[0];
                m[2 * (i * d + i) + 1] = z[1];
            }
            return m;
        }
        if (d != 2) {
            throw new IllegalArgumentException("pow(" + k + ") @ (a non-integer power) of a non-diagonal gate on "
                    + Integer.numberOfTrailingZeros(d) + " qubits is not supported");
        }
        // 2x2: U = Σ λ_i v_i v_i†, eigenvectors (b, λ_i − a) of [[a, b], [c, d]] (b ≠ 0 as U is not diagonal).
        double ar = u[0], ai = u[1], br = u[2], bi = u[3], dr = u[6], di = u[7];
        double cr = u[4], ci = u[5];
        double trR = ar + dr, trI = ai + di;
        double detR = ar * dr - ai * di - (br * cr - bi * ci);
        double detI = ar * di + ai * dr - (br * ci + bi * cr);
        // disc = tr^2 - 4 det
        double discR = trR * trR - trI * trI - 4 * detR;
        double discI = 2 * trR * trI - 4 * detI;
        double[] sq = complexPower(discR, discI, 0.5);
        double[] result = new double[8];
        for (int sign = -1; sign <= 1; sign += 2) {
            double lr = (trR + sign * sq[0]) / 2;
            double li = (trI + sign * sq[1]) / 2;
            double v0r = br, v0i = bi, v1r = lr - ar, v1i = li - ai;
            double norm = v0r * v0r + v0i * v0i + v1r * v1r + v1i * v1i;
            double[] lk = complexPower(lr, li, k);
            double[] v = {v0r, v0i, v1r, v1i};
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 2; c++) {
                    // λ^k · v_r · conj(v_c) / |v|²
                    double xr = v[2 * r] * v[2 * c] + v[2 * r + 1] * v[2 * c + 1];
                    double xi = v[2 * r + 1] * v[2 * c] - v[2 * r] * v[2 * c + 1];
                    result[2 * (r * 2 + c)] += (lk[0] * xr - lk[1] * xi) / norm;
                    result[2 * (r * 2 + c) + 1] += (lk[0] * xi + lk[1] * xr) / norm;
                }
            }
        }
        return result;
    }

    /** z^k on the principal branch. */
    private static double[] complexPower(double re, double im, double k) {
        double r = Math.pow(Math.hypot(re, im), k);
        double phi = Math.atan2(im, re) * k;
        return new double[] {r * Math.cos(phi), r * Math.sin(phi)};
    }
}
