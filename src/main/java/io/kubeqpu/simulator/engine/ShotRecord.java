package io.kubeqpu.simulator.engine;

/**
 * The classical bits of every shot, packed 64 to a word: shot {@code s} occupies words
 * {@code [s·wordsPerShot, (s+1)·wordsPerShot)}.
 */
public final class ShotRecord {
    private final int shots;
    private final int numClbits;
    private final int wordsPerShot;
    private final long[] words;

    public ShotRecord(int shots, int numClbits) {
        this.shots = shots;
        this.numClbits = numClbits;
        this.wordsPerShot = Math.max(1, (numClbits + 63) / 64);
        this.words = new long[shots * wordsPerShot];
    }

    public int shots() {
        return shots;
    }

    public int numClbits() {
        return numClbits;
    }

    public boolean get(int shot, int clbit) {
        return (words[shot * wordsPerShot + (clbit >>> 6)] >>> (clbit & 63) & 1) != 0;
    }

    public void set(int shot, int clbit, boolean value) {
        int w = shot * wordsPerShot + (clbit >>> 6);
        long bit = 1L << (clbit & 63);
        words[w] = value ? words[w] | bit : words[w] & ~bit;
    }
}
