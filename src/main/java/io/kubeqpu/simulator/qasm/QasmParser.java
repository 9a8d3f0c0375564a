package io.kubeqpu.simulator.qasm;

import io.kubeqpu.simulator.engine.StandardGates;
import io.kubeqpu.simulator.qasm.Instruction.Condition;
import io.kubeqpu.simulator.qasm.QasmProgram.ClassicalRegister;
import io.kubeqpu.simulator.qasm.QasmProgram.SourcePosition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/**
 * Recursive-descent parser for the OpenQASM 2/3 subset that Qiskit's exporters produce (see
 * docs/simulator.md). User gates are expanded here, so the result holds built-in gates only. Anything
 * outside the subset is refused with a {@link QasmException} naming line and column.
 */
public final class QasmParser {
    /** Guards against garbage or hostile input exhausting memory. */
    static final int MAX_QUBITS = 100_000;
    static final int MAX_CLBITS = 100_000;
    static final int MAX_INSTRUCTIONS = 5_000_000;
    /** Deeper expressions would risk a StackOverflowError in this recursive parser. */
    static final int MAX_EXPRESSION_DEPTH = 100;
    static final int MAX_GATE_NESTING = 64;

    private static final Set<String> INCLUDES = Set.of("stdgates.inc", "qelib1.inc");
    private static final Set<String> UNSUPPORTED = Set.of("for", "while", "def", "defcal", "cal", "defcalgrammar",
            "const", "let", "switch", "box", "return", "extern", "opaque", "ctrl", "negctrl", "inv", "pow", "output",
            "int", "uint", "bool", "complex", "duration", "stretch", "array", "pragma", "end", "break", "continue",
            "durationof", "angle", "float");
    private static final Map<String, DoubleUnaryOperator> FUNCTIONS = Map.of(
            "sin", Math::sin, "cos", Math::cos, "tan", Math::tan, "exp", Math::exp, "ln", Math::log,
            "sqrt", Math::sqrt, "asin", Math::asin, "acos", Math::acos, "atan", Math::atan);
    private static final Map<String, Double> CONSTANTS = Map.of(
            "pi", Math.PI, "π", Math.PI, "tau", 2 * Math.PI, "τ", 2 * Math.PI, "euler", Math.E, "ℇ", Math.E);

    /** @param depth nesting of user-gate calls inside, bounded so expansion cannot overflow the stack */
    private record UserGate(String name, int numParams, int numQubits, List<BodyCall> body, int depth) {
    }

    /** A call inside a gate body; exactly one of {@code user} / {@code builtin} is set. */
    private record BodyCall(UserGate user, StandardGates.GateDef builtin, List<Expr> args, int[] localQubits) {
    }

    private final List<Token> tokens;
    private int p;
    private int version = 3;
    private final Map<String, int[]> qregs = new LinkedHashMap<>();
    private int declaredQubits;
    private int physicalWidth;
    private final Map<String, ClassicalRegister> cregs = new LinkedHashMap<>();
    private int numClbits;
    private final List<String> inputs = new ArrayList<>();
    private final Map<String, UserGate> userGates = new HashMap<>();
    private final List<Instruction> out = new ArrayList<>();
    private final Map<String, SourcePosition> gateCalls = new LinkedHashMap<>();
    /** Names of formal parameters while parsing a gate body, {@code null} at top level. */
    private List<String> gateParamNames;
    private int expressionDepth;
    /** Gate calls expanded so far, including those that emit nothing: bounds exponential expansion. */
    private long expandedCalls;

    private QasmParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    public static QasmProgram parse(String source) throws QasmException {
        if (source == null) {
            throw new QasmException(1, 1, "empty circuit");
        }
        QasmParser parser = new QasmParser(Lexer.tokenize(source));
        return parser.program();
    }

    private QasmProgram program() throws QasmException {
        if (peek().is("OPENQASM")) {
            Token t = advance();
            Token v = advance();
            if ((v.kind() != Token.Kind.INT && v.kind() != Token.Kind.REAL) || (v.number() != 2 && v.number() != 3)) {
                throw error(v, "unsupported OpenQASM version " + v.describe() + " (2 or 3 expected)");
            }
            version = (int) v.number();
            expect(";");
        }
        while (peek().kind() != Token.Kind.EOF) {
            topLevelStatement();
        }
        List<ClassicalRegister> regs = List.copyOf(cregs.values());
        int width = Math.max(declaredQubits, physicalWidth);
        return new QasmProgram(version, List.copyOf(inputs), width, regs, numClbits, List.copyOf(out),
                Map.copyOf(gateCalls));
    }

    // ---- statements ---------------------------------------------------------------------------------

    private void topLevelStatement() throws QasmException {
        Token t = peek();
        if (t.kind() != Token.Kind.IDENT && !t.is("$") && t.kind() != Token.Kind.PHYSICAL) {
            throw error(t, "expected a statement, found " + t.describe());
        }
        switch (t.text()) {
            case "OPENQASM":
                throw error(t, "the OPENQASM header must be the first statement");
            case "include":
                include();
                return;
            case "qreg":
                qreg();
                return;
            case "creg":
                creg();
                return;
            case "qubit":
                qubitDeclaration();
                return;
            case "bit":
                bitDeclaration();
                return;
            case "input":
                input();
                return;
            case "gate":
                gateDefinition();
                return;
            default:
                statement(null);
        }
    }

    /** Statements allowed at top level and inside {@code if} bodies. */
    private void statement(Condition condition) throws QasmException {
        Token t = peek();
        if (t.kind() != Token.Kind.IDENT) {
            throw error(t, "expected a statement, found " + t.describe());
        }
        switch (t.text()) {
            case "measure":
                measureArrow(condition);
                return;
            case "reset":
                reset(condition);
                return;
            case "barrier":
                barrier();
                return;
            case "delay":
                delay(condition);
                return;
            case "if":
                ifStatement(condition);
                return;
            case "gphase":
                gphase();
                return;
            case "include": case "qreg": case "creg": case "qubit": case "bit": case "input": case "gate":
                throw error(t, "'" + t.text() + "' is only allowed at top level");
            default:
                break;
        }
        if (cregs.containsKey(t.text()) && (peekAt(1).is("=") || peekAt(1).is("["))) {
            assignMeasure(condition);
            return;
        }
        gateCall(condition);
    }

    private void include() throws QasmException {
        advance();
        Token file = advance();
        if (file.kind() != Token.Kind.STRING) {
            throw error(file, "expected a file name string, found " + file.describe());
        }
        if (!INCLUDES.contains(file.text())) {
            throw error(file, "cannot include '" + file.text() + "' (only stdgates.inc and qelib1.inc)");
        }
        expect(";");
    }

    private void qreg() throws QasmException {
        advance();
        Token name = newName();
        int size = bracketedSize();
        expect(";");
        declareQubits(name, size);
    }

    private void creg() throws QasmException {
        advance();
        Token name = newName();
        int size = bracketedSize();
        expect(";");
        declareClbits(name, size);
    }

    private void qubitDeclaration() throws QasmException {
        advance();
        int size = peek().is("[") ? bracketedSize() : 1;
        Token name = newName();
        expect(";");
        declareQubits(name, size);
    }

    private void bitDeclaration() throws QasmException {
        advance();
        int size = peek().is("[") ? bracketedSize() : 1;
        Token name = newName();
        declareClbits(name, size);
        if (peek().is("=")) {
            advance();
            Token m = expect("measure");
            measurePairs(m, qubitOperand(), bitsOf(name, cregs.get(name.text())), null);
        }
        expect(";");
    }

    private void input() throws QasmException {
        advance();
        Token type = advance();
        if (!type.is("float") && !type.is("angle")) {
            throw error(type, "only 'input float' and 'input angle' parameters are supported, found " + type.describe());
        }
        if (peek().is("[")) {
            bracketedSize();
        }
        Token name = newName();
        expect(";");
        inputs.add(name.text());
    }

    private void declareQubits(Token name, int size) throws QasmException {
        if (physicalWidth > 0) {
            throw error(name, "cannot mix declared qubits with physical qubits ($n)");
        }
        if (declaredQubits + size > MAX_QUBITS) {
            throw error(name, "too many qubits (at most " + MAX_QUBITS + ")");
        }
        int[] indices = new int[size];
        for (int i = 0; i < size; i++) {
            indices[i] = declaredQubits++;
        }
        qregs.put(name.text(), indices);
    }

    private void declareClbits(Token name, int size) throws QasmException {
        if (numClbits + size > MAX_CLBITS) {
            throw error(name, "too many classical bits (at most " + MAX_CLBITS + ")");
        }
        cregs.put(name.text(), new ClassicalRegister(name.text(), numClbits, size));
        numClbits += size;
    }

    private void gateDefinition() throws QasmException {
        advance();
        Token name = advance();
        if (name.kind() != Token.Kind.IDENT) {
            throw error(name, "expected a gate name, found " + name.describe());
        }
        if (userGates.containsKey(name.text()) || qregs.containsKey(name.text()) || cregs.containsKey(name.text())) {
            throw error(name, "'" + name.text() + "' is already defined");
        }
        List<String> params = new ArrayList<>();
        if (peek().is("(")) {
            advance();
            if (!peek().is(")")) {
                params.add(identifier("a parameter name").text());
                while (peek().is(",")) {
                    advance();
                    params.add(identifier("a parameter name").text());
                }
            }
            expect(")");
        }
        List<String> qubits = new ArrayList<>();
        do {
            if (!qubits.isEmpty()) {
                advance();
            }
            Token q = identifier("a qubit name");
            if (qubits.contains(q.text())) {
                throw error(q, "duplicate qubit '" + q.text() + "' in gate definition");
            }
            qubits.add(q.text());
        } while (peek().is(","));
        expect("{");
        gateParamNames = params;
        List<BodyCall> body = new ArrayList<>();
        try {
            while (!peek().is("}")) {
                bodyStatement(qubits, body);
            }
        } finally {
            gateParamNames = null;
        }
        Token close = expect("}");
        int depth = 1 + body.stream().mapToInt(c -> c.user() == null ? 0 : c.user().depth()).max().orElse(0);
        if (depth > MAX_GATE_NESTING) {
            throw error(close, "gate definitions nested deeper than " + MAX_GATE_NESTING + " levels");
        }
        userGates.put(name.text(), new UserGate(name.text(), params.size(), qubits.size(), List.copyOf(body), depth));
    }

    private void bodyStatement(List<String> qubitNames, List<BodyCall> body) throws QasmException {
        Token t = peek();
        if (t.is("barrier")) {
            advance();
            while (!peek().is(";")) {
                advance();
                if (peek().kind() == Token.Kind.EOF) {
                    throw error(peek(), "expected ';'");
                }
            }
            advance();
            return;
        }
        if (t.is("gphase")) {
            gphase();
            return;
        }
        Token name = identifier("a gate call");
        List<Expr> args = arguments();
        List<Integer> locals = new ArrayList<>();
        do {
            if (!locals.isEmpty()) {
                advance();
            }
            Token q = identifier("a qubit argument");
            int idx = qubitNames.indexOf(q.text());
            if (idx < 0) {
                throw error(q, "unknown qubit '" + q.text() + "' in gate body");
            }
            if (locals.contains(idx)) {
                throw error(q, "qubit '" + q.text() + "' used twice in one gate call");
            }
            locals.add(idx);
        } while (peek().is(","));
        expect(";");
        int[] q = locals.stream().mapToInt(Integer::intValue).toArray();
        UserGate user = userGates.get(name.text());
        if (user != null) {
            checkArity(name, user.numParams(), user.numQubits(), args.size(), q.length);
            body.add(new BodyCall(user, null, args, q));
            return;
        }
        StandardGates.GateDef builtin = builtinGate(name);
        checkArity(name, builtin.numParams(), builtin.numQubits(), args.size(), q.length);
        body.add(new BodyCall(null, builtin, args, q));
    }

    private void gateCall(Condition condition) throws QasmException {
        Token name = advance();
        if (UNSUPPORTED.contains(name.text())) {
            throw error(name, "unsupported OpenQASM feature '" + name.text() + "'");
        }
        UserGate user = userGates.get(name.text());
        StandardGates.GateDef builtin = user == null ? builtinGate(name) : null;
        List<Expr> args = arguments();
        List<int[]> operands = new ArrayList<>();
        List<Token> operandTokens = new ArrayList<>();
        do {
            if (!operands.isEmpty()) {
                advance();
            }
            operandTokens.add(peek());
            operands.add(qubitOperand());
        } while (peek().is(","));
        expect(";");
        int numParams = user != null ? user.numParams() : builtin.numParams();
        int numQubits = user != null ? user.numQubits() : builtin.numQubits();
        checkArity(name, numParams, numQubits, args.size(), operands.size());
        gateCalls.putIfAbsent(name.text(), new SourcePosition(name.line(), name.column()));
        int n = broadcastSize(operands, operandTokens);
        for (int k = 0; k < n; k++) {
            int[] qubits = new int[operands.size()];
            for (int j = 0; j < qubits.length; j++) {
                int[] op = operands.get(j);
                qubits[j] = op.length == 1 ? op[0] : op[k];
                for (int i = 0; i < j; i++) {
                    if (qubits[i] == qubits[j]) {
                        throw error(operandTokens.get(j), "the same qubit is used twice in one gate call");
                    }
                }
            }
            expand(name, user, builtin, args, qubits, condition);
        }
    }

    private void expand(Token at, UserGate user, StandardGates.GateDef builtin, List<Expr> args, int[] qubits,
                        Condition condition) throws QasmException {
        if (++expandedCalls > MAX_INSTRUCTIONS) {
            throw error(at, "circuit too long (more than " + MAX_INSTRUCTIONS + " gate calls after expansion)");
        }
        if (user == null) {
            emit(at, new Instruction.Gate(builtin.canonical(), args, qubits, condition));
            return;
        }
        for (BodyCall call : user.body()) {
            List<Expr> bound = new ArrayList<>(call.args().size());
            for (Expr e : call.args()) {
                bound.add(e.substitute(args));
            }
            int[] q = new int[call.localQubits().length];
            for (int i = 0; i < q.length; i++) {
                q[i] = qubits[call.localQubits()[i]];
            }
            expand(at, call.user(), call.builtin(), bound, q, condition);
        }
    }

    private void emit(Token at, Instruction instruction) throws QasmException {
        if (out.size() >= MAX_INSTRUCTIONS) {
            throw error(at, "circuit too long (more than " + MAX_INSTRUCTIONS + " operations after expansion)");
        }
        out.add(instruction);
    }

    private void measureArrow(Condition condition) throws QasmException {
        Token m = advance();
        int[] qubits = qubitOperand();
        expect("->");
        int[] clbits = clbitOperand();
        expect(";");
        measurePairs(m, qubits, clbits, condition);
    }

    private void assignMeasure(Condition condition) throws QasmException {
        int[] clbits = clbitOperand();
        expect("=");
        Token m = expect("measure");
        int[] qubits = qubitOperand();
        expect(";");
        measurePairs(m, qubits, clbits, condition);
    }

    private void measurePairs(Token at, int[] qubits, int[] clbits, Condition condition) throws QasmException {
        if (qubits.length != clbits.length) {
            throw error(at, "measure of " + qubits.length + " qubit(s) into " + clbits.length + " bit(s)");
        }
        for (int i = 0; i < qubits.length; i++) {
            emit(at, new Instruction.Measure(qubits[i], clbits[i], condition));
        }
    }

    private void reset(Condition condition) throws QasmException {
        Token r = advance();
        int[] qubits = qubitOperand();
        expect(";");
        for (int q : qubits) {
            emit(r, new Instruction.Reset(q, condition));
        }
    }

    private void barrier() throws QasmException {
        Token b = advance();
        List<Integer> qubits = new ArrayList<>();
        if (!peek().is(";")) {
            do {
                if (!qubits.isEmpty()) {
                    advance();
                }
                for (int q : qubitOperand()) {
                    qubits.add(q);
                }
            } while (peek().is(","));
        }
        expect(";");
        emit(b, new Instruction.Barrier(qubits.stream().mapToInt(Integer::intValue).toArray()));
    }

    private void delay(Condition condition) throws QasmException {
        Token d = advance();
        expect("[");
        Token amount = advance();
        if (amount.kind() != Token.Kind.DURATION) {
            throw error(amount, "expected a duration such as 100ns, found " + amount.describe());
        }
        expect("]");
        List<Integer> qubits = new ArrayList<>();
        do {
            if (!qubits.isEmpty()) {
                advance();
            }
            for (int q : qubitOperand()) {
                qubits.add(q);
            }
        } while (peek().is(","));
        expect(";");
        String unit = amount.text().replaceAll("^[0-9.eE+-]+", "");
        double seconds = 0;
        double dt = 0;
        switch (unit) {
            case "ns": seconds = amount.number() * 1e-9; break;
            case "us": case "µs": seconds = amount.number() * 1e-6; break;
            case "ms": seconds = amount.number() * 1e-3; break;
            case "s": seconds = amount.number(); break;
            default: dt = amount.number();
        }
        emit(d, new Instruction.Delay(seconds, dt, qubits.stream().mapToInt(Integer::intValue).toArray(), condition));
    }

    private void ifStatement(Condition outer) throws QasmException {
        Token ifToken = advance();
        if (outer != null) {
            throw error(ifToken, "nested 'if' is not supported");
        }
        expect("(");
        Condition condition = condition();
        expect(")");
        conditionalBody(condition);
        if (peek().is("else")) {
            advance();
            conditionalBody(condition.negate());
        }
    }

    private void conditionalBody(Condition condition) throws QasmException {
        if (peek().is("{")) {
            advance();
            while (!peek().is("}")) {
                if (peek().kind() == Token.Kind.EOF) {
                    throw error(peek(), "expected '}'");
                }
                statement(condition);
            }
            advance();
        } else {
            statement(condition);
        }
    }

    /** {@code c == n}, {@code c[i] == b}, {@code c[i]}, {@code !c[i]} (also with {@code !=}). */
    private Condition condition() throws QasmException {
        boolean negated = false;
        if (peek().is("!")) {
            advance();
            negated = true;
        }
        Token reg = peek();
        int[] bits = clbitOperand();
        if (negated) {
            if (bits.length != 1) {
                throw error(reg, "'!' applies to a single bit");
            }
            return new Condition(bits, 0, true);
        }
        if (!peek().is("==") && !peek().is("!=")) {
            if (bits.length != 1) {
                throw error(peek(), "expected '==' after a register in a condition");
            }
            return new Condition(bits, 1, true);
        }
        boolean equal = advance().is("==");
        Token value = advance();
        long v;
        if (value.kind() == Token.Kind.INT) {
            v = (long) value.number();
        } else if (value.is("true") || value.is("false")) {
            v = value.is("true") ? 1 : 0;
        } else {
            throw error(value, "expected an integer in a condition, found " + value.describe());
        }
        if (bits.length < 63 && v >= (1L << bits.length)) {
            throw error(value, "value " + v + " does not fit in " + bits.length + " bit(s)");
        }
        if (bits.length > 62) {
            throw error(reg, "conditions on registers wider than 62 bits are not supported");
        }
        return new Condition(bits, v, equal);
    }

    private void gphase() throws QasmException {
        // A global phase has no observable effect without control modifiers, which are not supported.
        advance();
        expect("(");
        expression();
        expect(")");
        expect(";");
    }

    // ---- operands ---------------------------------------------------------------------------------

    private int[] qubitOperand() throws QasmException {
        Token t = advance();
        if (t.kind() == Token.Kind.PHYSICAL) {
            if (declaredQubits > 0) {
                throw error(t, "cannot mix physical qubits ($n) with declared qubits");
            }
            int index = (int) t.number();
            if (index >= MAX_QUBITS) {
                throw error(t, "physical qubit " + t.text() + " is out of range");
            }
            physicalWidth = Math.max(physicalWidth, index + 1);
            return new int[] {index};
        }
        if (t.kind() != Token.Kind.IDENT) {
            throw error(t, "expected a qubit, found " + t.describe());
        }
        int[] reg = qregs.get(t.text());
        if (reg == null) {
            throw error(t, "unknown qubit register '" + t.text() + "'");
        }
        if (!peek().is("[")) {
            return reg;
        }
        advance();
        Token i = advance();
        if (i.kind() != Token.Kind.INT) {
            throw error(i, "expected an integer index, found " + i.describe());
        }
        if (i.number() >= reg.length) {
            throw error(i, "index " + i.text() + " out of range for '" + t.text() + "' of size " + reg.length);
        }
        expect("]");
        return new int[] {reg[(int) i.number()]};
    }

    private int[] clbitOperand() throws QasmException {
        Token t = advance();
        if (t.kind() != Token.Kind.IDENT) {
            throw error(t, "expected a classical bit, found " + t.describe());
        }
        ClassicalRegister reg = cregs.get(t.text());
        if (reg == null) {
            throw error(t, "unknown classical register '" + t.text() + "'");
        }
        if (!peek().is("[")) {
            return bitsOf(t, reg);
        }
        advance();
        Token i = advance();
        if (i.kind() != Token.Kind.INT) {
            throw error(i, "expected an integer index, found " + i.describe());
        }
        if (i.number() >= reg.size()) {
            throw error(i, "index " + i.text() + " out of range for '" + t.text() + "' of size " + reg.size());
        }
        expect("]");
        return new int[] {reg.offset() + (int) i.number()};
    }

    private static int[] bitsOf(Token at, ClassicalRegister reg) {
        int[] bits = new int[reg.size()];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = reg.offset() + i;
        }
        return bits;
    }

    private int broadcastSize(List<int[]> operands, List<Token> at) throws QasmException {
        int n = 1;
        for (int j = 0; j < operands.size(); j++) {
            int len = operands.get(j).length;
            if (len == 1) {
                continue;
            }
            if (n != 1 && len != n) {
                throw error(at.get(j), "registers of different sizes (" + n + " and " + len + ") in one gate call");
            }
            n = len;
        }
        return n;
    }

    // ---- expressions ---------------------------------------------------------------------------------

    private List<Expr> arguments() throws QasmException {
        List<Expr> args = new ArrayList<>();
        if (!peek().is("(")) {
            return args;
        }
        advance();
        if (!peek().is(")")) {
            args.add(expression());
            while (peek().is(",")) {
                advance();
                args.add(expression());
            }
        }
        expect(")");
        return args;
    }

    private Expr expression() throws QasmException {
        Expr left = term();
        while (peek().is("+") || peek().is("-")) {
            char op = advance().text().charAt(0);
            left = Expr.fold(new Expr.Binary(op, left, term()));
        }
        return left;
    }

    private Expr term() throws QasmException {
        Expr left = unary();
        while (peek().is("*") || peek().is("/")) {
            char op = advance().text().charAt(0);
            left = Expr.fold(new Expr.Binary(op, left, unary()));
        }
        return left;
    }

    private Expr unary() throws QasmException {
        if (++expressionDepth > MAX_EXPRESSION_DEPTH) {
            throw error(peek(), "expression nested deeper than " + MAX_EXPRESSION_DEPTH + " levels");
        }
        try {
            return signedPower();
        } finally {
            expressionDepth--;
        }
    }

    private Expr signedPower() throws QasmException {
        if (peek().is("-")) {
            advance();
            return Expr.fold(new Expr.Unary("-", x -> -x, unary()));
        }
        if (peek().is("+")) {
            advance();
            return unary();
        }
        return power();
    }

    /** Right-associative; {@code ^} is power in OpenQASM 2, {@code **} in OpenQASM 3 — both accepted. */
    private Expr power() throws QasmException {
        Expr base = primary();
        if (peek().is("^") || peek().is("**")) {
            advance();
            return Expr.fold(new Expr.Binary('^', base, unary()));
        }
        return base;
    }

    private Expr primary() throws QasmException {
        Token t = advance();
        switch (t.kind()) {
            case INT:
            case REAL:
                return Expr.constant(t.number());
            case SYMBOL:
                if (t.is("(")) {
                    Expr e = expression();
                    expect(")");
                    return e;
                }
                break;
            case IDENT:
                return identifierExpression(t);
            default:
                break;
        }
        throw error(t, "expected an expression, found " + t.describe());
    }

    private Expr identifierExpression(Token t) throws QasmException {
        String name = t.text();
        DoubleUnaryOperator f = FUNCTIONS.get(name);
        if (f != null) {
            expect("(");
            Expr arg = expression();
            expect(")");
            return Expr.fold(new Expr.Unary(name, f, arg));
        }
        if (gateParamNames != null) {
            int i = gateParamNames.indexOf(name);
            if (i >= 0) {
                return new Expr.GateParam(i);
            }
        }
        Double c = CONSTANTS.get(name);
        if (c != null) {
            return Expr.constant(c);
        }
        if (gateParamNames == null) {
            int i = inputs.indexOf(name);
            if (i >= 0) {
                return new Expr.Input(i, name);
            }
        }
        throw error(t, "unknown parameter '" + name + "'");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private StandardGates.GateDef builtinGate(Token name) throws QasmException {
        if (name.kind() != Token.Kind.IDENT) {
            throw error(name, "expected a statement, found " + name.describe());
        }
        StandardGates.GateDef def = StandardGates.lookup(name.text());
        if (def == null) {
            if (UNSUPPORTED.contains(name.text())) {
                throw error(name, "unsupported OpenQASM feature '" + name.text() + "'");
            }
            throw error(name, "unknown gate '" + name.text() + "'");
        }
        return def;
    }

    private void checkArity(Token name, int params, int qubits, int gotParams, int gotQubits) throws QasmException {
        if (params != gotParams) {
            throw error(name, "gate '" + name.text() + "' takes " + params + " parameter(s), got " + gotParams);
        }
        if (qubits != gotQubits) {
            throw error(name, "gate '" + name.text() + "' acts on " + qubits + " qubit(s), got " + gotQubits);
        }
    }

    private int bracketedSize() throws QasmException {
        expect("[");
        Token n = advance();
        if (n.kind() != Token.Kind.INT || n.number() < 1) {
            throw error(n, "expected a positive size, found " + n.describe());
        }
        expect("]");
        return (int) n.number();
    }

    private Token newName() throws QasmException {
        Token name = identifier("a name");
        String s = name.text();
        if (qregs.containsKey(s) || cregs.containsKey(s) || inputs.contains(s) || userGates.containsKey(s)
                || CONSTANTS.containsKey(s) || FUNCTIONS.containsKey(s) || UNSUPPORTED.contains(s)) {
            throw error(name, "'" + s + "' is already defined");
        }
        return name;
    }

    private Token identifier(String what) throws QasmException {
        Token t = advance();
        if (t.kind() != Token.Kind.IDENT) {
            throw error(t, "expected " + what + ", found " + t.describe());
        }
        return t;
    }

    private Token expect(String symbol) throws QasmException {
        Token t = advance();
        if (!t.is(symbol)) {
            throw error(t, "expected '" + symbol + "', found " + t.describe());
        }
        return t;
    }

    private Token peek() {
        return tokens.get(p);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(p + ahead, tokens.size() - 1));
    }

    private Token advance() {
        Token t = tokens.get(p);
        if (p < tokens.size() - 1) {
            p++;
        }
        return t;
    }

    private static QasmException error(Token at, String problem) {
        return new QasmException(at.line(), at.column(), problem);
    }

    int version() {
        return version;
    }
}
