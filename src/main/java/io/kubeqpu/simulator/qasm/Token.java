package io.kubeqpu.simulator.qasm;

/** A lexical token with its 1-based source position. */
record Token(Kind kind, String text, double number, int line, int column) {

    enum Kind { IDENT, INT, REAL, STRING, PHYSICAL, DURATION, SYMBOL, EOF }

    boolean is(String symbolOrWord) {
        return (kind == Kind.SYMBOL || kind == Kind.IDENT) && text.equals(symbolOrWord);
    }

    String describe() {
        return kind == Kind.EOF ? "end of input" : "'" + text + "'";
    }
}
