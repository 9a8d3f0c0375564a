package io.kubeqpu.simulator.qasm;

import java.util.Arrays;

/**
 * The classical state of one shot: the circuit's bits and its classical variables ({@code float}/{@code angle}
 * variables hold {@link Double#doubleToRawLongBits} bits).
 */
public final class Memory {
    public final boolean[] bits;
    public final long[] vars;

    public Memory(int numClbits, int numVars) {
        this.bits = new boolean[numClbits];
        this.vars = new long[numVars];
    }

    private Memory(boolean[] bits, long[] vars) {
        this.bits = bits;
        this.vars = vars;
    }

    public Memory copy() {
        return new Memory(bits.clone(), vars.clone());
    }

    /** The bits as an unsigned integer, {@code clbits[0]} least significant. */
    public long register(int[] clbits) {
        long v = 0;
        for (int i = 0; i < clbits.length; i++) {
            if (bits[clbits[i]]) {
                v |= 1L << i;
            }
        }
        return v;
    }

    @Override
    public String toString() {
        return Arrays.toString(bits) + Arrays.toString(vars);
    }
}
