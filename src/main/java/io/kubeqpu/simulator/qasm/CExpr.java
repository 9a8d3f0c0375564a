package io.kubeqpu.simulator.qasm;

import java.util.BitSet;
import java.util.List;

/**
 * A typed classical expression of OpenQASM 3 (conditions, assignments, switch targets), evaluated per shot
 * against a {@link Memory}. Sub-expressions that read no bit or variable are folded when built, so a
 * condition on values known before run time is a constant.
 */
public final class CExpr {
    interface IntEval {
        long eval(Memory m);
    }

    interface FloatEval {
        double eval(Memory m);
    }

    private final CType type;
    private final IntEval ints;
    private final FloatEval floats;
    private final BitSet bitsRead;
    private final BitSet varsRead;

    private CExpr(CType type, IntEval ints, FloatEval floats, BitSet bitsRead, BitSet varsRead) {
        this.type = type;
        this.ints = ints;
        this.floats = floats;
        this.bitsRead = bitsRead;
        this.varsRead = varsRead;
    }

    /** Variable slots this expression reads (never modified by callers). */
    public BitSet varsRead() {
        return varsRead;
    }

    public CType type() {
        return type;
    }

    /** Classical bits this expression reads (never modified by callers). */
    public BitSet bitsRead() {
        return bitsRead;
    }

    public boolean isConstant() {
        return bitsRead.isEmpty() && varsRead.isEmpty();
    }

    public long asLong(Memory m) {
        return type.isFloat() ? (long) floats.eval(m) : ints.eval(m);
    }

    public double asDouble(Memory m) {
        return type.isFloat() ? floats.eval(m) : (type.isSigned() ? ints.eval(m) : unsignedToDouble(ints.eval(m)));
    }

    public boolean asBool(Memory m) {
        return type.isFloat() ? floats.eval(m) != 0 : ints.eval(m) != 0;
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2 + (v & 1);
    }

    // ---- leaves ---------------------------------------------------------------------------------

    public static CExpr intConst(long v, CType t) {
        long w = t.wrap(v);
        return new CExpr(t, m -> w, null, new BitSet(), new BitSet());
    }

    public static CExpr floatConst(double v) {
        return new CExpr(CType.FLOAT, null, m -> v, new BitSet(), new BitSet());
    }

    public static CExpr boolConst(boolean v) {
        return intConst(v ? 1 : 0, CType.BOOL);
    }

    public static CExpr bit(int clbit) {
        BitSet read = new BitSet();
        read.set(clbit);
        return new CExpr(new CType(CType.Kind.BIT, 1), m -> m.bits[clbit] ? 1 : 0, null, read, new BitSet());
    }

    public static CExpr register(int[] clbits) {
        if (clbits.length > 64) {
            throw new IllegalArgumentException("registers wider than 64 bits cannot be used as values");
        }
        BitSet read = new BitSet();
        for (int b : clbits) {
            read.set(b);
        }
        int[] c = clbits.clone();
        return new CExpr(new CType(CType.Kind.BIT, c.length), m -> m.register(c), null, read, new BitSet());
    }

    public static CExpr variable(int slot, CType t) {
        if (t.isFloat()) {
            return new CExpr(t, null, m -> Double.longBitsToDouble(m.vars[slot]), new BitSet(), slots(slot));
        }
        return new CExpr(t, m -> m.vars[slot], null, new BitSet(), slots(slot));
    }

    private static BitSet slots(int slot) {
        BitSet b = new BitSet();
        b.set(slot);
        return b;
    }

    // ---- operators ---------------------------------------------------------------------------------

    public static CExpr unary(String op, CExpr a) {
        switch (op) {
            case "-":
                if (a.type.isFloat()) {
                    return fold(new CExpr(a.type, null, m -> -a.floats.eval(m), a.bitsRead, a.varsRead));
                }
                CType t = new CType(CType.Kind.INT, Math.min(64, a.type.width() + (a.type.isSigned() ? 0 : 1)));
                return fold(new CExpr(t, m -> -a.ints.eval(m), null, a.bitsRead, a.varsRead));
            case "!":
                return fold(new CExpr(CType.BOOL, m -> a.asBool(m) ? 0 : 1, null, a.bitsRead, a.varsRead));
            case "~":
                requireInteger("~", a);
                CType bt = a.type.kind() == CType.Kind.BOOL ? new CType(CType.Kind.BIT, 1) : a.type;
                return fold(new CExpr(bt, m -> bt.wrap(~a.ints.eval(m)), null, a.bitsRead, a.varsRead));
            default:
                throw new IllegalArgumentException("unsupported operator '" + op + "'");
        }
    }

    public static CExpr binary(String op, CExpr a, CExpr b) {
        BitSet read = (BitSet) a.bitsRead.clone();
        read.or(b.bitsRead);
        BitSet vars = (BitSet) a.varsRead.clone();
        vars.or(b.varsRead);
        boolean real = a.type.isFloat() || b.type.isFloat();
        switch (op) {
            case "&&":
                return fold(new CExpr(CType.BOOL, m -> a.asBool(m) && b.asBool(m) ? 1 : 0, null, read, vars));
            case "||":
                return fold(new CExpr(CType.BOOL, m -> a.asBool(m) || b.asBool(m) ? 1 : 0, null, read, vars));
            case "==": case "!=": case "<": case "<=": case ">": case ">=":
                return fold(new CExpr(CType.BOOL, comparison(op, a, b, real), null, read, vars));
            case "&": case "|": case "^": {
                requireInteger(op, a);
                requireInteger(op, b);
                CType t = widest(a.type, b.type);
                IntEval f = op.equals("&") ? m -> a.ints.eval(m) & b.ints.eval(m)
                        : op.equals("|") ? m -> a.ints.eval(m) | b.ints.eval(m) : m -> a.ints.eval(m) ^ b.ints.eval(m);
                return fold(new CExpr(t, m -> t.wrap(f.eval(m)), null, read, vars));
            }
            case "<<": case ">>": {
                requireInteger(op, a);
                requireInteger(op, b);
                CType t = a.type.kind() == CType.Kind.BOOL ? new CType(CType.Kind.BIT, 1) : a.type;
                boolean left = op.equals("<<");
                IntEval f = m -> {
                    long n = b.ints.eval(m);
                    long v = a.ints.eval(m);
                    if (n >= 64 || n < 0) {
                        return left || !t.isSigned() ? 0 : (v < 0 ? -1 : 0);
                    }
                    return t.wrap(left ? v << n : t.isSigned() ? v >> n : v >>> n);
                };
                return fold(new CExpr(t, f, null, read, vars));
            }
            case "+": case "-": case "*": case "/": case "%": case "**":
                if (real) {
                    FloatEval f = switch (op) {
                        case "+" -> m -> a.asDouble(m) + b.asDouble(m);
                        case "-" -> m -> a.asDouble(m) - b.asDouble(m);
                        case "*" -> m -> a.asDouble(m) * b.asDouble(m);
                        case "/" -> m -> a.asDouble(m) / b.asDouble(m);
                        case "%" -> m -> a.asDouble(m) % b.asDouble(m);
                        default -> m -> Math.pow(a.asDouble(m), b.asDouble(m));
                    };
                    return fold(new CExpr(CType.FLOAT, null, f, read, vars));
                } else {
                    CType t = a.type.isSigned() || b.type.isSigned() || op.equals("-")
                            ? new CType(CType.Kind.INT, 64) : new CType(CType.Kind.UINT, 64);
                    IntEval f = switch (op) {
                        case "+" -> m -> a.ints.eval(m) + b.ints.eval(m);
                        case "-" -> m -> a.ints.eval(m) - b.ints.eval(m);
                        case "*" -> m -> a.ints.eval(m) * b.ints.eval(m);
                        case "/" -> m -> divide(a.ints.eval(m), b.ints.eval(m));
                        case "%" -> m -> modulo(a.ints.eval(m), b.ints.eval(m));
                        default -> m -> integerPower(a.ints.eval(m), b.ints.eval(m));
                    };
                    return fold(new CExpr(t, f, null, read, vars));
                }
            default:
                throw new IllegalArgumentException("unsupported operator '" + op + "'");
        }
    }

    /** {@code type(expr)}: conversions between the classical types (truncating to the target width). */
    public static CExpr cast(CType t, CExpr a) {
        if (t.isFloat()) {
            return fold(new CExpr(t, null, a::asDouble, a.bitsRead, a.varsRead));
        }
        if (t.kind() == CType.Kind.BOOL) {
            return fold(new CExpr(t, m -> a.asBool(m) ? 1 : 0, null, a.bitsRead, a.varsRead));
        }
        return fold(new CExpr(t, m -> t.wrap(a.asLong(m)), null, a.bitsRead, a.varsRead));
    }

    /** The OpenQASM 3 built-in functions on classical values. */
    public static CExpr call(String fn, List<CExpr> args) {
        BitSet read = new BitSet();
        BitSet vars = new BitSet();
        for (CExpr e : args) {
            read.or(e.bitsRead);
            vars.or(e.varsRead);
        }
        switch (fn) {
            case "popcount": {
                arity(fn, args, 1);
                CExpr a = args.get(0);
                requireInteger(fn, a);
                CType w = a.type;
                return fold(new CExpr(new CType(CType.Kind.UINT, 64),
                        m -> Long.bitCount(w.isSigned() ? new CType(CType.Kind.UINT, w.width()).wrap(a.ints.eval(m))
                                : a.ints.eval(m)), null, read, vars));
            }
            case "rotl": case "rotr": {
                arity(fn, args, 2);
                CExpr a = args.get(0);
                CExpr n = args.get(1);
                requireInteger(fn, a);
                requireInteger(fn, n);
                CType t = a.type;
                int w = t.width();
                boolean left = fn.equals("rotl");
                return fold(new CExpr(t, m -> {
                    long v = new CType(CType.Kind.UINT, w).wrap(a.ints.eval(m));
                    int k = (int) Math.floorMod(n.ints.eval(m), (long) w);
                    if (!left) {
                        k = (w - k) % w;
                    }
                    long r = w >= 64 ? Long.rotateLeft(v, k) : (v << k) | (v >>> (w - k));
                    return t.wrap(r);
                }, null, read, vars));
            }
            case "mod": {
                arity(fn, args, 2);
                return binary("%", args.get(0), args.get(1));
            }
            default: {
                java.util.function.DoubleUnaryOperator f = Functions.unary(fn);
                if (f == null) {
                    throw new IllegalArgumentException("unknown function '" + fn + "'");
                }
                arity(fn, args, 1);
                CExpr a = args.get(0);
                return fold(new CExpr(CType.FLOAT, null, m -> f.applyAsDouble(a.asDouble(m)), read, vars));
            }
        }
    }

    private static IntEval comparison(String op, CExpr a, CExpr b, boolean real) {
        if (real) {
            return switch (op) {
                case "==" -> m -> a.asDouble(m) == b.asDouble(m) ? 1 : 0;
                case "!=" -> m -> a.asDouble(m) != b.asDouble(m) ? 1 : 0;
                case "<" -> m -> a.asDouble(m) < b.asDouble(m) ? 1 : 0;
                case "<=" -> m -> a.asDouble(m) <= b.asDouble(m) ? 1 : 0;
                case ">" -> m -> a.asDouble(m) > b.asDouble(m) ? 1 : 0;
                default -> m -> a.asDouble(m) >= b.asDouble(m) ? 1 : 0;
            };
        }
        return switch (op) {
            case "==" -> m -> a.ints.eval(m) == b.ints.eval(m) ? 1 : 0;
            case "!=" -> m -> a.ints.eval(m) != b.ints.eval(m) ? 1 : 0;
            case "<" -> m -> a.ints.eval(m) < b.ints.eval(m) ? 1 : 0;
            case "<=" -> m -> a.ints.eval(m) <= b.ints.eval(m) ? 1 : 0;
            case ">" -> m -> a.ints.eval(m) > b.ints.eval(m) ? 1 : 0;
            default -> m -> a.ints.eval(m) >= b.ints.eval(m) ? 1 : 0;
        };
    }

    private static CType widest(CType a, CType b) {
        int w = Math.max(a.kind() == CType.Kind.BOOL ? 1 : a.width(), b.kind() == CType.Kind.BOOL ? 1 : b.width());
        CType.Kind k = a.kind() == CType.Kind.BOOL ? (b.kind() == CType.Kind.BOOL ? CType.Kind.BIT : b.kind()) : a.kind();
        return new CType(k, w);
    }

    private static long divide(long a, long b) {
        if (b == 0) {
            throw new ArithmeticException("integer division by zero in a classical expression");
        }
        return a / b;
    }

    private static long modulo(long a, long b) {
        if (b == 0) {
            throw new ArithmeticException("integer modulo by zero in a classical expression");
        }
        return a % b;
    }

    private static long integerPower(long base, long exp) {
        if (exp < 0) {
            return base == 1 ? 1 : base == -1 ? ((exp & 1) == 0 ? 1 : -1) : 0;
        }
        long r = 1;
        for (long i = 0; i < Math.min(exp, 64); i++) {
            r *= base;
        }
        return r;
    }

    private static void requireInteger(String op, CExpr e) {
        if (e.type.isFloat()) {
            throw new IllegalArgumentException("operator '" + op + "' needs integer or bit operands, got " + e.type);
        }
    }

    private static void arity(String fn, List<CExpr> args, int n) {
        if (args.size() != n) {
            throw new IllegalArgumentException("function '" + fn + "' takes " + n + " argument(s), got " + args.size());
        }
    }

    /** Evaluates constant expressions once, now (errors such as a division by zero surface at parse time). */
    private static CExpr fold(CExpr e) {
        if (!e.isConstant()) {
            return e;
        }
        if (e.type.isFloat()) {
            double v = e.floats.eval(null);
            return new CExpr(e.type, null, m -> v, new BitSet(), new BitSet());
        }
        long v = e.ints.eval(null);
        return new CExpr(e.type, m -> v, null, new BitSet(), new BitSet());
    }
}
