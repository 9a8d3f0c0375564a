package io.kubeqpu.simulator.qasm;

/** A circuit outside the supported OpenQASM subset; the message starts with {@code line L, column C:}. */
public class QasmException extends Exception {
    private final int line;
    private final int column;

    public QasmException(int line, int column, String problem) {
        super("line " + line + ", column " + column + ": " + problem);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
