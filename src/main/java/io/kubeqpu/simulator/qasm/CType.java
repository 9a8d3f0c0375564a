package io.kubeqpu.simulator.qasm;

/**
 * The type of a classical value. Integers, booleans and bit registers are held as {@code long} (a bit register
 * is its bits as an unsigned integer, first bit least significant); {@code float} and {@code angle} as
 * {@code double}.
 */
public record CType(Kind kind, int width) {

    public enum Kind { BOOL, BIT, UINT, INT, FLOAT, ANGLE }

    public static final CType BOOL = new CType(Kind.BOOL, 1);
    public static final CType FLOAT = new CType(Kind.FLOAT, 64);

    public boolean isFloat() {
        return kind == Kind.FLOAT || kind == Kind.ANGLE;
    }

    public boolean isSigned() {
        return kind == Kind.INT;
    }

    /** Truncates {@code v} to this type's width (two's complement for {@code int}); booleans become 0 or 1. */
    public long wrap(long v) {
        switch (kind) {
            case BOOL:
                return v != 0 ? 1 : 0;
            case INT:
                return width >= 64 ? v : (v << (64 - width)) >> (64 - width);
            case BIT:
            case UINT:
                return width >= 64 ? v : v & ((1L << width) - 1);
            default:
                return v;
        }
    }

    @Override
    public String toString() {
        String name = kind.name().toLowerCase(java.util.Locale.ROOT);
        return kind == Kind.BOOL || kind == Kind.FLOAT ? name : name + "[" + width + "]";
    }
}
