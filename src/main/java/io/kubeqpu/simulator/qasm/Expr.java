package io.kubeqpu.simulator.qasm;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * A real-valued gate-argument expression. Circuit inputs stay symbolic until a PUB binds them; the
 * formal parameters of user {@code gate} definitions are substituted at expansion time.
 */
public sealed interface Expr {

    /** Value with the circuit's {@code input} parameters bound (in declaration order). */
    double eval(double[] inputs);

    /** Replaces the formal parameters of a gate body by the caller's arguments. */
    Expr substitute(List<Expr> gateArgs);

    boolean isConstant();

    static Expr constant(double v) {
        return new Const(v);
    }

    record Const(double value) implements Expr {
        public double eval(double[] inputs) {
            return value;
        }

        public Expr substitute(List<Expr> gateArgs) {
            return this;
        }

        public boolean isConstant() {
            return true;
        }
    }

    /** A circuit {@code input float[64] name;} parameter. */
    record Input(int index, String name) implements Expr {
        public double eval(double[] inputs) {
            return inputs[index];
        }

        public Expr substitute(List<Expr> gateArgs) {
            return this;
        }

        public boolean isConstant() {
            return false;
        }
    }

    /** A formal parameter inside a gate body; never evaluated directly. */
    record GateParam(int index) implements Expr {
        public double eval(double[] inputs) {
            throw new IllegalStateException("unsubstituted gate parameter");
        }

        public Expr substitute(List<Expr> gateArgs) {
            return gateArgs.get(index);
        }

        public boolean isConstant() {
            return false;
        }
    }

    record Unary(String function, DoubleUnaryOperator op, Expr arg) implements Expr {
        public double eval(double[] inputs) {
            return op.applyAsDouble(arg.eval(inputs));
        }

        public Expr substitute(List<Expr> gateArgs) {
            return fold(new Unary(function, op, arg.substitute(gateArgs)));
        }

        public boolean isConstant() {
            return arg.isConstant();
        }
    }

    record Binary(char op, Expr left, Expr right) implements Expr {
        public double eval(double[] inputs) {
            double a = left.eval(inputs);
            double b = right.eval(inputs);
            switch (op) {
                case '+': return a + b;
                case '-': return a - b;
                case '*': return a * b;
                case '/': return a / b;
                case '^': return Math.pow(a, b);
                case '%': return a % b;
                default: throw new IllegalStateException("operator " + op);
            }
        }

        public Expr substitute(List<Expr> gateArgs) {
            return fold(new Binary(op, left.substitute(gateArgs), right.substitute(gateArgs)));
        }

        public boolean isConstant() {
            return left.isConstant() && right.isConstant();
        }
    }

    /**
     * A name Qiskit's exporter writes as a gate argument although it is no value (e.g. {@code pauli(XYZ)}
     * for a Pauli string). Harmless while the gate body ignores the parameter; an error if it is used.
     */
    record Unresolved(String name, int line, int column) implements Expr {
        public double eval(double[] inputs) {
            throw new IllegalStateException("unresolved name " + name);
        }

        public Expr substitute(List<Expr> gateArgs) {
            return this;
        }

        public boolean isConstant() {
            return false;
        }
    }

    /** The first unresolved name inside {@code e}, or {@code null}. */
    static Unresolved unresolved(Expr e) {
        if (e instanceof Unresolved u) {
            return u;
        }
        if (e instanceof Unary u) {
            return unresolved(u.arg());
        }
        if (e instanceof Binary b) {
            Unresolved l = unresolved(b.left());
            return l != null ? l : unresolved(b.right());
        }
        return null;
    }

    /** Constant folding, so bound circuits do not re-evaluate constant trees per parameter set. */
    static Expr fold(Expr e) {
        return e.isConstant() && !(e instanceof Const) && unresolved(e) == null ? new Const(e.eval(new double[0])) : e;
    }
}
