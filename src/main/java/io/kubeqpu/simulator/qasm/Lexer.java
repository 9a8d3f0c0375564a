package io.kubeqpu.simulator.qasm;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Splits OpenQASM 2/3 source into tokens, skipping whitespace and comments. */
final class Lexer {
    private static final Set<String> THREE_CHAR_SYMBOLS = Set.of("<<=", ">>=", "**=");
    private static final Set<String> TWO_CHAR_SYMBOLS = Set.of("->", "==", "!=", "**", "<=", ">=", "&&", "||", "<<",
            ">>", "+=", "-=", "*=", "/=", "&=", "|=", "^=", "%=", "++");
    private static final String ONE_CHAR_SYMBOLS = ";,()[]{}+-*/^=!<>@:&|~%";
    static final Set<String> DURATION_UNITS = Set.of("ns", "us", "µs", "ms", "s", "dt");

    private final String src;
    private int pos;
    private int line = 1;
    private int lineStart;

    private Lexer(String src) {
        this.src = src;
    }

    static List<Token> tokenize(String src) throws QasmException {
        return new Lexer(src).run();
    }

    private List<Token> run() throws QasmException {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipBlanksAndComments();
            if (pos >= src.length()) {
                tokens.add(new Token(Token.Kind.EOF, "", 0, line, column()));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private int column() {
        return pos - lineStart + 1;
    }

    private void skipBlanksAndComments() throws QasmException {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (src.startsWith("//", pos) || atPragma()) {
                // '#pragma …' / 'pragma …' lines are directives for other tools: ignored to the end of the line.
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (src.startsWith("/*", pos)) {
                int l = line;
                int col = column();
                pos += 2;
                while (!src.startsWith("*/", pos)) {
                    if (pos >= src.length()) {
                        throw new QasmException(l, col, "unterminated comment");
                    }
                    if (src.charAt(pos) == '\n') {
                        line++;
                        lineStart = pos + 1;
                    }
                    pos++;
                }
                pos += 2;
            } else {
                return;
            }
        }
    }

    /** {@code #pragma} anywhere, or {@code pragma} as the first word of a line. */
    private boolean atPragma() {
        if (src.startsWith("#pragma", pos)) {
            return true;
        }
        if (!src.startsWith("pragma", pos) || (pos + 6 < src.length() && Character.isLetterOrDigit(src.charAt(pos + 6)))) {
            return false;
        }
        for (int i = lineStart; i < pos; i++) {
            if (!Character.isWhitespace(src.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private Token next() throws QasmException {
        int l = line;
        int col = column();
        int start = pos;
        char c = src.charAt(pos);
        if (Character.isLetter(c) || c == '_') {
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                pos++;
            }
            return new Token(Token.Kind.IDENT, src.substring(start, pos), 0, l, col);
        }
        if (c == '$') {
            pos++;
            while (pos < src.length() && isAsciiDigit(src.charAt(pos))) {
                pos++;
            }
            if (pos == start + 1) {
                throw new QasmException(l, col, "expected a physical qubit number after '$'");
            }
            return new Token(Token.Kind.PHYSICAL, src.substring(start, pos), parseInt(start + 1, l, col), l, col);
        }
        if (isAsciiDigit(c) || (c == '.' && pos + 1 < src.length() && isAsciiDigit(src.charAt(pos + 1)))) {
            return number(l, col);
        }
        if (c == '"') {
            pos++;
            while (pos < src.length() && src.charAt(pos) != '"' && src.charAt(pos) != '\n') {
                pos++;
            }
            if (pos >= src.length() || src.charAt(pos) != '"') {
                throw new QasmException(l, col, "unterminated string");
            }
            pos++;
            return new Token(Token.Kind.STRING, src.substring(start + 1, pos - 1), 0, l, col);
        }
        if (pos + 2 < src.length() && THREE_CHAR_SYMBOLS.contains(src.substring(pos, pos + 3))) {
            pos += 3;
            return new Token(Token.Kind.SYMBOL, src.substring(start, pos), 0, l, col);
        }
        if (pos + 1 < src.length() && TWO_CHAR_SYMBOLS.contains(src.substring(pos, pos + 2))) {
            pos += 2;
            return new Token(Token.Kind.SYMBOL, src.substring(start, pos), 0, l, col);
        }
        if (ONE_CHAR_SYMBOLS.indexOf(c) >= 0) {
            pos++;
            return new Token(Token.Kind.SYMBOL, String.valueOf(c), 0, l, col);
        }
        throw new QasmException(l, col, "unexpected character '" + new String(Character.toChars(src.codePointAt(pos))) + "'");
    }

    private Token number(int l, int col) throws QasmException {
        int start = pos;
        boolean real = false;
        while (pos < src.length() && isAsciiDigit(src.charAt(pos))) {
            pos++;
        }
        if (pos < src.length() && src.charAt(pos) == '.') {
            real = true;
            pos++;
            while (pos < src.length() && isAsciiDigit(src.charAt(pos))) {
                pos++;
            }
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && isAsciiDigit(src.charAt(pos))) {
                real = true;
                while (pos < src.length() && isAsciiDigit(src.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
        String text = src.substring(start, pos);
        double value = Double.parseDouble(text);
        int unitStart = pos;
        while (pos < src.length() && Character.isLetter(src.charAt(pos))) {
            pos++;
        }
        if (pos > unitStart) {
            String unit = src.substring(unitStart, pos);
            if (!DURATION_UNITS.contains(unit)) {
                throw new QasmException(l, col, "invalid number '" + src.substring(start, pos) + "'");
            }
            return new Token(Token.Kind.DURATION, src.substring(start, pos), value, l, col);
        }
        if (!real && text.length() > 18) {
            throw new QasmException(l, col, "integer '" + text + "' is too large");
        }
        return new Token(real ? Token.Kind.REAL : Token.Kind.INT, text, value, l, col);
    }

    private int parseInt(int from, int l, int col) throws QasmException {
        String digits = src.substring(from, pos);
        if (digits.length() > 9) {
            throw new QasmException(l, col, "integer '" + digits + "' is too large");
        }
        return Integer.parseInt(digits);
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
