package io.kubeqpu.simulator.qasm;

import io.kubeqpu.simulator.engine.Matrices;
import io.kubeqpu.simulator.engine.StandardGates;
import io.kubeqpu.simulator.engine.StateVector;
import io.kubeqpu.simulator.qasm.QasmProgram.ClassicalRegister;
import io.kubeqpu.simulator.qasm.QasmProgram.SourcePosition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Recursive-descent parser for the OpenQASM 2/3 that Qiskit's exporters produce (see docs/simulator.md).
 *
 * <p>User gates are expanded here, so the result holds built-in gates and modified gates only. Classical
 * values known before run time are tracked while parsing: {@code for} loops are unrolled, conditions and
 * {@code while}/{@code switch} on known values are resolved, and only control flow that depends on measured
 * bits becomes {@link Instruction.Branch}/{@link Instruction.Jump}. Anything outside the supported language is
 * refused with a {@link QasmException} naming line, column and the feature.
 */
public final class QasmParser {
    /** Guards against garbage or hostile input exhausting memory. */
    static final int MAX_QUBITS = 100_000;
    static final int MAX_CLBITS = 100_000;
    static final int MAX_INSTRUCTIONS = 5_000_000;
    /** Deeper expressions would risk a StackOverflowError in this recursive parser. */
    static final int MAX_EXPRESSION_DEPTH = 100;
    static final int MAX_GATE_NESTING = 64;
    static final int MAX_BLOCK_NESTING = 64;
    /** Loop iterations resolved while parsing (unrolled {@code for}, {@code while} on known values). */
    static final int MAX_UNROLLED_ITERATIONS = 1_000_000;
    /** Widest gate a modifier may act on: its matrix is built densely. */
    static final int MAX_MODIFIED_GATE_QUBITS = 8;

    private static final Set<String> INCLUDES = Set.of("stdgates.inc", "qelib1.inc");
    private static final Map<String, String> UNSUPPORTED = Map.ofEntries(
            Map.entry("def", "subroutines ('def')"), Map.entry("return", "subroutines ('return')"),
            Map.entry("extern", "extern functions"), Map.entry("defcal", "pulse calibrations ('defcal')"),
            Map.entry("cal", "pulse calibrations ('cal')"), Map.entry("defcalgrammar", "pulse calibrations ('defcalgrammar')"),
            Map.entry("opaque", "opaque gates"), Map.entry("let", "aliases ('let')"), Map.entry("array", "arrays"),
            Map.entry("complex", "complex variables"), Map.entry("durationof", "'durationof'"),
            Map.entry("end", "'end'"), Map.entry("readonly", "arrays ('readonly')"), Map.entry("mutable", "arrays ('mutable')"),
            Map.entry("nop", "'nop'"));
    private static final Set<String> TYPES = Set.of("int", "uint", "bool", "float", "angle", "bit");
    private static final Set<String> MODIFIERS = Set.of("ctrl", "negctrl", "inv", "pow");
    private static final Map<String, Double> CONSTANTS = Map.of(
            "pi", Math.PI, "π", Math.PI, "tau", 2 * Math.PI, "τ", 2 * Math.PI, "euler", Math.E, "ℇ", Math.E);
    private static final Set<String> RESERVED = Set.of("if", "else", "for", "while", "switch", "case", "default",
            "box", "break", "continue", "in", "measure", "reset", "barrier", "delay", "gate", "qubit", "qreg", "creg",
            "input", "output", "const", "stretch", "duration", "true", "false", "gphase", "include", "OPENQASM",
            "int", "uint", "bool", "float", "angle", "bit", "ctrl", "negctrl", "inv", "pow");
    private static final StandardGates.GateDef GPHASE = new StandardGates.GateDef("gphase", "gphase", 1, 0,
            v -> new double[] {Math.cos(v[0]), Math.sin(v[0])});

    /** @param depth nesting of user-gate calls inside, bounded so expansion cannot overflow the stack */
    private record UserGate(String name, int numParams, int numQubits, List<BodyCall> body, int depth) {
    }

    /** A call inside a gate body; exactly one of {@code user} / {@code def} is set. */
    private record BodyCall(UserGate user, StandardGates.GateDef def, List<Expr> args, int[] localQubits) {
    }

    private record Var(String name, int slot, CType type) {
    }

    private record Modifier(String kind, int count, double exponent) {
    }

    /** What the parser knows about classical values at the current point of every path that reaches it. */
    private static final class Knowledge {
        boolean reachable = true;
        BitSet bitKnown = new BitSet();
        BitSet bitValue = new BitSet();
        Map<Integer, Long> vars = new HashMap<>();

        Knowledge copy() {
            Knowledge k = new Knowledge();
            k.reachable = reachable;
            k.bitKnown = (BitSet) bitKnown.clone();
            k.bitValue = (BitSet) bitValue.clone();
            k.vars = new HashMap<>(vars);
            return k;
        }

        /** Paths join: keep only what both know alike. */
        static Knowledge merge(Knowledge a, Knowledge b) {
            if (a == null || !a.reachable) {
                return b == null ? a : b.copy();
            }
            if (b == null || !b.reachable) {
                return a;
            }
            Knowledge k = a.copy();
            BitSet differ = (BitSet) a.bitValue.clone();
            differ.xor(b.bitValue);
            k.bitKnown.and(b.bitKnown);
            k.bitKnown.andNot(differ);
            k.vars.entrySet().removeIf(e -> !e.getValue().equals(b.vars.get(e.getKey())));
            return k;
        }
    }

    /** A forward jump target: jumps to patch and the knowledge they carry. */
    private static final class Label {
        final List<Integer> jumps = new ArrayList<>();
        Knowledge knowledge;
    }

    /** {@code continueTarget} ≥ 0 for a run-time loop (continue jumps back), else {@code continueLabel}. */
    private record Loop(Label breakLabel, Label continueLabel, int continueTarget) {
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
    private final Map<String, Var> vars = new HashMap<>();
    /** {@code const} declarations and loop variables: values known while parsing. */
    private final Map<String, CExpr> constants = new HashMap<>();
    private final Set<String> stretches = new java.util.HashSet<>();
    private final Map<String, UserGate> userGates = new HashMap<>();
    private final List<Instruction> out = new ArrayList<>();
    private final Map<String, SourcePosition> gateCalls = new LinkedHashMap<>();
    /** Names of formal parameters while parsing a gate body, {@code null} at top level. */
    private List<String> gateParamNames;
    private int expressionDepth;
    private int blockDepth;
    /** Gate calls expanded so far, including those that emit nothing: bounds exponential expansion. */
    private long expandedCalls;
    private long unrolledIterations;
    private Knowledge known = new Knowledge();
    /** > 0 while a body is parsed only to find what it writes (nothing is emitted). */
    private int dry;
    private BitSet writtenBits = new BitSet();
    private BitSet writtenVars = new BitSet();
    private final Deque<Loop> loops = new ArrayDeque<>();

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
            advance();
            Token v = advance();
            if ((v.kind() != Token.Kind.INT && v.kind() != Token.Kind.REAL) || (v.number() != 2 && v.number() != 3
                    && !(v.number() > 3 && v.number() < 4))) {
                throw error(v, "unsupported OpenQASM version " + v.describe() + " (2 or 3 expected)");
            }
            version = (int) v.number();
            expect(";");
        }
        while (peek().kind() != Token.Kind.EOF) {
            statement(true);
        }
        List<ClassicalRegister> regs = List.copyOf(cregs.values());
        int width = Math.max(declaredQubits, physicalWidth);
        return new QasmProgram(version, List.copyOf(inputs), width, regs, numClbits, vars.size(), List.copyOf(out),
                Map.copyOf(gateCalls));
    }

    // ---- statements ---------------------------------------------------------------------------------

    private void statement(boolean topLevel) throws QasmException {
        Token t = peek();
        if (t.is("{")) {
            block();
            return;
        }
        if (t.kind() != Token.Kind.IDENT) {
            throw error(t, "expected a statement, found " + t.describe());
        }
        String word = t.text();
        if (UNSUPPORTED.containsKey(word)) {
            throw unsupported(t, UNSUPPORTED.get(word));
        }
        switch (word) {
            case "OPENQASM":
                throw error(t, "the OPENQASM header must be the first statement");
            case "include": case "qreg": case "qubit": case "gate":
                if (!topLevel) {
                    throw error(t, "'" + word + "' is only allowed at top level");
                }
                if (word.equals("include")) {
                    include();
                } else if (word.equals("gate")) {
                    gateDefinition();
                } else {
                    qubitDeclaration(word.equals("qreg"));
                }
                return;
            case "creg":
                creg();
                return;
            case "input":
                input();
                return;
            case "output":
                advance();
                declaration(false);
                return;
            case "const":
                advance();
                declaration(true);
                return;
            case "int": case "uint": case "bool": case "float": case "angle": case "bit":
                declaration(false);
                return;
            case "stretch": case "duration":
                timingDeclaration();
                return;
            case "measure":
                measureArrow();
                return;
            case "reset":
                reset();
                return;
            case "barrier":
                barrier();
                return;
            case "delay":
                delay();
                return;
            case "if":
                ifStatement();
                return;
            case "else":
                throw error(t, "'else' without 'if'");
            case "for":
                forStatement();
                return;
            case "while":
                whileStatement();
                return;
            case "switch":
                switchStatement();
                return;
            case "box":
                box();
                return;
            case "break": case "continue":
                breakOrContinue();
                return;
            default:
                break;
        }
        if ((cregs.containsKey(word) || vars.containsKey(word) || constants.containsKey(word))
                && (peekAt(1).is("[") || isAssignment(peekAt(1)))) {
            assignment();
            return;
        }
        gateCall();
    }

    private static boolean isAssignment(Token t) {
        return t.kind() == Token.Kind.SYMBOL && (t.text().equals("=") || (t.text().endsWith("=")
                && !t.text().equals("==") && !t.text().equals("!=") && !t.text().equals("<=") && !t.text().equals(">=")));
    }

    /** A braced block, or a single statement (bodies of if/for/while). */
    private void body() throws QasmException {
        if (peek().is("{")) {
            block();
        } else {
            statement(false);
        }
    }

    private void block() throws QasmException {
        Token open = expect("{");
        if (++blockDepth > MAX_BLOCK_NESTING) {
            throw error(open, "blocks nested deeper than " + MAX_BLOCK_NESTING + " levels");
        }
        try {
            while (!peek().is("}")) {
                if (peek().kind() == Token.Kind.EOF) {
                    throw error(peek(), "expected '}'");
                }
                statement(false);
            }
            advance();
        } finally {
            blockDepth--;
        }
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

    private void qubitDeclaration(boolean qreg) throws QasmException {
        advance();
        Token name;
        int size;
        if (qreg) {
            name = newName();
            size = bracketedSize();
        } else {
            size = peek().is("[") ? bracketedSize() : 1;
            name = newName();
        }
        expect(";");
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

    private void creg() throws QasmException {
        advance();
        Token name = newName();
        int size = bracketedSize();
        expect(";");
        declareClbits(name, size);
    }

    private void declareClbits(Token name, int size) throws QasmException {
        if (numClbits + size > MAX_CLBITS) {
            throw error(name, "too many classical bits (at most " + MAX_CLBITS + ")");
        }
        cregs.put(name.text(), new ClassicalRegister(name.text(), numClbits, size));
        // Fresh bits are 0 on every path.
        known.bitKnown.set(numClbits, numClbits + size);
        numClbits += size;
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

    /** {@code stretch a;} / {@code duration d = 100ns;}: only timing, which a stretch resolves to 0. */
    private void timingDeclaration() throws QasmException {
        advance();
        Token name = newName();
        if (peek().is("=")) {
            advance();
            durationExpression(parseAst(false));
        }
        expect(";");
        stretches.add(name.text());
    }

    /** {@code int[32] x = …;}, {@code bool b;}, {@code bit[2] c = measure q;}, {@code const uint n = 3;}. */
    private void declaration(boolean isConst) throws QasmException {
        Token typeToken = peek();
        CType type = parseType();
        Token name = newName();
        if (type.kind() == CType.Kind.BIT && !isConst) {
            declareClbits(name, type.width());
            ClassicalRegister reg = cregs.get(name.text());
            int[] bits = bitsOf(reg);
            if (peek().is("=")) {
                advance();
                if (peek().is("measure")) {
                    Token m = advance();
                    measurePairs(m, qubitOperand(), bits);
                } else {
                    store(name, bits, null, expressionAt());
                }
            }
            expect(";");
            return;
        }
        if (isConst) {
            Token eq = expect("=");
            CExpr value = expressionAt();
            if (!value.isConstant()) {
                throw error(eq, "the value of const '" + name.text() + "' is not known before run time");
            }
            expect(";");
            constants.put(name.text(), CExpr.cast(type, value));
            return;
        }
        Var v = new Var(name.text(), vars.size(), type);
        vars.put(name.text(), v);
        CExpr value = CExpr.cast(type, CExpr.intConst(0, CType.BOOL));
        if (peek().is("=")) {
            advance();
            if (peek().is("measure")) {
                throw unsupported(peek(), "measuring into a '" + typeToken.text() + "' variable");
            }
            value = expressionAt();
        }
        expect(";");
        store(name, null, v, value);
    }

    private CType parseType() throws QasmException {
        Token t = advance();
        if (!TYPES.contains(t.text())) {
            throw error(t, "expected a type, found " + t.describe());
        }
        int width = -1;
        if (peek().is("[")) {
            width = bracketedSize();
        }
        switch (t.text()) {
            case "bool":
                return CType.BOOL;
            case "bit":
                return new CType(CType.Kind.BIT, width < 0 ? 1 : width);
            case "int":
                return new CType(CType.Kind.INT, width < 0 ? 32 : checkWidth(t, width));
            case "uint":
                return new CType(CType.Kind.UINT, width < 0 ? 32 : checkWidth(t, width));
            case "angle":
                return new CType(CType.Kind.ANGLE, 64);
            default:
                return CType.FLOAT;
        }
    }

    private int checkWidth(Token t, int width) throws QasmException {
        if (width > 64) {
            throw error(t, "'" + t.text() + "[" + width + "]' is wider than the 64 bits supported");
        }
        return width;
    }

    /** {@code x = e;}, {@code x += e;}, {@code c[1] = c[0];}, {@code c = measure q;}. */
    private void assignment() throws QasmException {
        Token name = peek();
        if (constants.containsKey(name.text())) {
            throw error(name, "cannot assign to '" + name.text() + "' (a constant or loop variable)");
        }
        Var v = vars.get(name.text());
        int[] bits = null;
        if (v == null) {
            bits = clbitOperand();
        } else {
            advance();
            if (peek().is("[")) {
                throw unsupported(peek(), "assigning to bits of a '" + v.type() + "' variable");
            }
        }
        Token op = advance();
        if (!isAssignment(op)) {
            throw error(op, "expected '=', found " + op.describe());
        }
        if (peek().is("measure")) {
            Token m = advance();
            if (bits == null || !op.is("=")) {
                throw error(m, "a measurement result can only be assigned to bits with '='");
            }
            int[] qubits = qubitOperand();
            expect(";");
            measurePairs(m, qubits, bits);
            return;
        }
        CExpr value = expressionAt();
        if (!op.is("=")) {
            CExpr current = v != null ? variableValue(v) : registerValue(bits);
            CExpr right = value;
            value = wrapErrors(op, () -> CExpr.binary(op.text().substring(0, op.text().length() - 1), current, right));
        }
        expect(";");
        store(name, bits, v, value);
    }

    private CExpr expressionAt() throws QasmException {
        return classical(parseAst(false));
    }

    private void store(Token at, int[] bits, Var v, CExpr value) throws QasmException {
        if (bits != null) {
            for (int i = 0; i < bits.length; i++) {
                writtenBits.set(bits[i]);
                if (value.isConstant()) {
                    known.bitKnown.set(bits[i]);
                    known.bitValue.set(bits[i], i < 64 && (value.asLong(null) >>> i & 1) != 0);
                } else {
                    known.bitKnown.clear(bits[i]);
                }
            }
            emit(at, new Instruction.Store(bits.clone(), -1, null, value));
            return;
        }
        writtenVars.set(v.slot());
        if (value.isConstant()) {
            Memory m = new Memory(0, v.slot() + 1);
            new Instruction.Store(null, v.slot(), v.type(), value).apply(m);
            known.vars.put(v.slot(), m.vars[v.slot()]);
        } else {
            known.vars.remove(v.slot());
        }
        emit(at, new Instruction.Store(null, v.slot(), v.type(), value));
    }

    private void measureArrow() throws QasmException {
        Token m = advance();
        int[] qubits = qubitOperand();
        if (peek().is(";")) {
            advance();
            for (int q : qubits) {
                emit(m, new Instruction.Measure(q, -1));
            }
            return;
        }
        expect("->");
        int[] clbits = clbitOperand();
        expect(";");
        measurePairs(m, qubits, clbits);
    }

    private void measurePairs(Token at, int[] qubits, int[] clbits) throws QasmException {
        if (qubits.length != clbits.length) {
            throw error(at, "measure of " + qubits.length + " qubit(s) into " + clbits.length + " bit(s)");
        }
        for (int i = 0; i < qubits.length; i++) {
            writtenBits.set(clbits[i]);
            known.bitKnown.clear(clbits[i]);
            emit(at, new Instruction.Measure(qubits[i], clbits[i]));
        }
    }

    private void reset() throws QasmException {
        Token r = advance();
        int[] qubits = qubitOperand();
        expect(";");
        for (int q : qubits) {
            emit(r, new Instruction.Reset(q));
        }
    }

    private void barrier() throws QasmException {
        Token b = advance();
        int[] qubits = peek().is(";") ? new int[0] : qubitList();
        expect(";");
        emit(b, new Instruction.Barrier(qubits));
    }

    private int[] qubitList() throws QasmException {
        List<Integer> qubits = new ArrayList<>();
        do {
            if (!qubits.isEmpty()) {
                advance();
            }
            for (int q : qubitOperand()) {
                qubits.add(q);
            }
        } while (peek().is(","));
        return qubits.stream().mapToInt(Integer::intValue).toArray();
    }

    private void delay() throws QasmException {
        Token d = advance();
        expect("[");
        Token amountToken = peek();
        double[] amount = durationExpression(parseAst(false));
        if (amount == null) {
            throw error(amountToken, "expected a duration such as 100ns, found " + amountToken.describe());
        }
        expect("]");
        int[] qubits = peek().is(";") ? new int[0] : qubitList();
        expect(";");
        emit(d, new Instruction.Delay(amount[0], amount[1], qubits));
    }

    /** {seconds, dt} of a duration expression (stretches count 0), or {@code null} if it is no duration. */
    private double[] durationExpression(Ast a) throws QasmException {
        if (a instanceof Ast.Num n && n.unit() != null) {
            double v = n.value();
            return switch (n.unit()) {
                case "ns" -> new double[] {v * 1e-9, 0};
                case "us", "µs" -> new double[] {v * 1e-6, 0};
                case "ms" -> new double[] {v * 1e-3, 0};
                case "s" -> new double[] {v, 0};
                default -> new double[] {0, v};
            };
        }
        if (a instanceof Ast.Name n && stretches.contains(n.at().text())) {
            return new double[] {0, 0};
        }
        if (a instanceof Ast.Bin b && (b.op().equals("+") || b.op().equals("-"))) {
            double[] l = durationExpression(b.a());
            double[] r = durationExpression(b.b());
            if (l == null || r == null) {
                return null;
            }
            double s = b.op().equals("+") ? 1 : -1;
            return new double[] {Math.max(0, l[0] + s * r[0]), Math.max(0, l[1] + s * r[1])};
        }
        if (a instanceof Ast.Bin b && (b.op().equals("*") || b.op().equals("/"))) {
            double[] l = durationExpression(b.a());
            if (l != null) {
                Expr k = param(b.b());
                if (!k.isConstant()) {
                    return null;
                }
                double f = k.eval(new double[0]);
                f = b.op().equals("/") ? 1 / f : f;
                return new double[] {l[0] * f, l[1] * f};
            }
            double[] r = durationExpression(b.b());
            if (r == null || b.op().equals("/")) {
                return null;
            }
            Expr k = param(b.a());
            return k.isConstant() ? new double[] {r[0] * k.eval(new double[0]), r[1] * k.eval(new double[0])} : null;
        }
        return null;
    }

    // ---- control flow ---------------------------------------------------------------------------------

    private void ifStatement() throws QasmException {
        advance();
        expect("(");
        Token at = peek();
        CExpr condition = expressionAt();
        expect(")");
        if (condition.isConstant()) {
            boolean taken = condition.asBool(null);
            if (taken) {
                body();
            } else {
                unreachable(this::body);
            }
            if (peek().is("else")) {
                advance();
                if (taken) {
                    unreachable(this::body);
                } else {
                    body();
                }
            }
            return;
        }
        int branch = emit(at, new Instruction.Branch(condition, -1));
        Knowledge before = known.copy();
        body();
        if (peek().is("else")) {
            advance();
            Label end = new Label();
            jumpTo(at, end);
            patch(branch, out.size());
            known = before.copy();
            body();
            bind(end);
        } else {
            patch(branch, out.size());
            known = Knowledge.merge(known, before);
        }
    }

    private void forStatement() throws QasmException {
        Token forToken = advance();
        CType type = new CType(CType.Kind.INT, 64);
        if (TYPES.contains(peek().text())) {
            type = parseType();
            if (type.isFloat()) {
                throw unsupported(forToken, "'for' loops over float values");
            }
        }
        Token var = identifier("a loop variable");
        Token in = advance();
        if (!in.is("in")) {
            throw error(in, "expected 'in', found " + in.describe());
        }
        List<Long> values = loopValues();
        int bodyStart = p;
        CExpr shadowed = constants.get(var.text());
        Label breakLabel = new Label();
        int bodyEnd = -1;
        try {
            if (dry > 0) {
                // Only the writes matter: one pass with the first value.
                constants.put(var.text(), CExpr.intConst(values.isEmpty() ? 0 : values.get(0), type));
                loops.push(new Loop(breakLabel, new Label(), -1));
                try {
                    body();
                } finally {
                    loops.pop();
                }
                return;
            }
            for (long v : values) {
                if (++unrolledIterations > MAX_UNROLLED_ITERATIONS) {
                    throw error(forToken, "loops run more than " + MAX_UNROLLED_ITERATIONS + " iterations in total");
                }
                constants.put(var.text(), CExpr.intConst(v, type));
                p = bodyStart;
                Label cont = new Label();
                loops.push(new Loop(breakLabel, cont, -1));
                try {
                    body();
                } finally {
                    loops.pop();
                }
                bodyEnd = p;
                bind(cont);
                if (!known.reachable) {
                    break; // every path left the loop
                }
            }
            if (bodyEnd < 0) {
                p = bodyStart;
                constants.put(var.text(), CExpr.intConst(0, type));
                loops.push(new Loop(new Label(), new Label(), -1));
                try {
                    unreachable(this::body);
                } finally {
                    loops.pop();
                }
            } else {
                p = bodyEnd;
            }
            bind(breakLabel);
        } finally {
            if (shadowed != null) {
                constants.put(var.text(), shadowed);
            } else {
                constants.remove(var.text());
            }
        }
    }

    /** {@code [a:b]}, {@code [a:step:b]} (inclusive) or {@code {v1, v2, …}}. */
    private List<Long> loopValues() throws QasmException {
        List<Long> values = new ArrayList<>();
        if (peek().is("{")) {
            advance();
            do {
                if (!values.isEmpty()) {
                    advance();
                }
                values.add(constantInt(peek()));
            } while (peek().is(","));
            expect("}");
            return values;
        }
        Token open = expect("[");
        long start = constantInt(peek());
        expect(":");
        long second = constantInt(peek());
        long step = 1;
        long stop = second;
        if (peek().is(":")) {
            advance();
            step = second;
            stop = constantInt(peek());
        }
        expect("]");
        if (step == 0) {
            throw error(open, "a range with step 0 never ends");
        }
        for (long v = start; step > 0 ? v <= stop : v >= stop; v += step) {
            if (values.size() > MAX_UNROLLED_ITERATIONS) {
                throw error(open, "loops run more than " + MAX_UNROLLED_ITERATIONS + " iterations in total");
            }
            values.add(v);
        }
        return values;
    }

    private void whileStatement() throws QasmException {
        Token whileToken = advance();
        expect("(");
        int conditionStart = p;
        Label breakLabel = new Label();
        if (dry > 0) {
            expressionAt();
            expect(")");
            loops.push(new Loop(breakLabel, new Label(), -1));
            try {
                body();
            } finally {
                loops.pop();
            }
            return;
        }
        while (true) {
            p = conditionStart;
            Token at = peek();
            CExpr condition = expressionAt();
            expect(")");
            int bodyStart = p;
            // Unrolled while the condition is known; a break that depends on run time ends the unrolling.
            if (condition.isConstant() && known.reachable && breakLabel.jumps.isEmpty()) {
                if (!condition.asBool(null)) {
                    loops.push(new Loop(new Label(), new Label(), -1));
                    try {
                        unreachable(this::body);
                    } finally {
                        loops.pop();
                    }
                    break;
                }
                if (++unrolledIterations > MAX_UNROLLED_ITERATIONS) {
                    throw error(whileToken, "a 'while' loop on values known before run time ran more than "
                            + MAX_UNROLLED_ITERATIONS + " iterations (does it end?)");
                }
                Label cont = new Label();
                loops.push(new Loop(breakLabel, cont, -1));
                try {
                    body();
                } finally {
                    loops.pop();
                }
                bind(cont);
                if (!known.reachable) {
                    break;
                }
                continue;
            }
            // Run-time loop: whatever the body writes is unknown at the top of every iteration.
            BitSet[] writes;
            loops.push(new Loop(new Label(), new Label(), -1)); // break/continue in the body belong to this loop
            try {
                writes = collectWrites(this::body);
            } finally {
                loops.pop();
            }
            forget(writes);
            p = conditionStart;
            condition = expressionAt();
            expect(")");
            int top = out.size();
            int branch = emit(at, new Instruction.Branch(condition, -1));
            Knowledge atTop = known.copy();
            loops.push(new Loop(breakLabel, null, top));
            try {
                body();
            } finally {
                loops.pop();
            }
            emit(at, new Instruction.Jump(top));
            known.reachable = false;
            patch(branch, out.size());
            known = Knowledge.merge(known, atTop);
            break;
        }
        bind(breakLabel);
    }

    private void switchStatement() throws QasmException {
        advance();
        expect("(");
        Token at = peek();
        CExpr target = expressionAt();
        expect(")");
        if (target.type().isFloat()) {
            throw error(at, "switch needs an integer value, got " + target.type());
        }
        expect("{");
        Knowledge before = known.copy();
        Label end = new Label();
        boolean matched = false;
        boolean sawDefault = false;
        while (!peek().is("}")) {
            Token c = advance();
            if (sawDefault) {
                throw error(c, "'default' must be the last case of a switch");
            }
            List<Long> values = new ArrayList<>();
            if (c.is("case")) {
                do {
                    if (!values.isEmpty()) {
                        advance();
                    }
                    values.add(constantInt(peek()));
                } while (peek().is(","));
            } else if (c.is("default")) {
                sawDefault = true;
            } else {
                throw error(c, "expected 'case' or 'default', found " + c.describe());
            }
            if (!peek().is("{")) {
                throw error(peek(), "expected '{', found " + peek().describe());
            }
            if (target.isConstant()) {
                boolean hit = !matched && (sawDefault || values.contains(target.asLong(null)));
                if (hit) {
                    matched = true;
                    block();
                } else {
                    unreachable(this::block);
                }
                continue;
            }
            known = before.copy();
            int branch = -1;
            if (!sawDefault) {
                CExpr cond = null;
                for (long v : values) {
                    CExpr eq = wrapErrors(c, () -> CExpr.binary("==", target, CExpr.intConst(v, new CType(CType.Kind.INT, 64))));
                    cond = cond == null ? eq : CExpr.binary("||", cond, eq);
                }
                branch = emit(c, new Instruction.Branch(cond, -1));
            }
            block();
            jumpTo(c, end);
            patch(branch, out.size());
        }
        advance();
        if (!target.isConstant()) {
            known = sawDefault ? unreachableKnowledge(before) : before.copy();
            bind(end);
        }
    }

    private void box() throws QasmException {
        advance();
        if (peek().is("[")) {
            advance();
            Token at = peek();
            if (durationExpression(parseAst(false)) == null) {
                throw error(at, "expected a duration, found " + at.describe());
            }
            expect("]");
        }
        block();
    }

    private void breakOrContinue() throws QasmException {
        Token t = advance();
        expect(";");
        Loop loop = loops.peek();
        if (loop == null) {
            throw error(t, "'" + t.text() + "' outside a loop");
        }
        if (t.is("break")) {
            jumpTo(t, loop.breakLabel());
        } else if (loop.continueTarget() >= 0) {
            emit(t, new Instruction.Jump(loop.continueTarget()));
            known.reachable = false;
        } else {
            jumpTo(t, loop.continueLabel());
        }
    }

    private interface Parse {
        void run() throws QasmException;
    }

    /**
     * Skips code no path reaches (a branch known not to be taken, the body of a loop that ends): a braced block,
     * or one statement. Not parsed, as its indices may be out of range for the values that skip it.
     */
    private void unreachable(Parse ignored) throws QasmException {
        int depth = 0;
        while (true) {
            Token t = advance();
            if (t.kind() == Token.Kind.EOF) {
                throw error(t, "unexpected end of input");
            }
            if (t.is("{") || t.is("(") || t.is("[")) {
                depth++;
            } else if (t.is("}") || t.is(")") || t.is("]")) {
                depth--;
                if (depth == 0 && t.is("}") && !peek().is("else")) {
                    return;
                }
            } else if (depth == 0 && t.is(";")) {
                return;
            }
        }
    }

    private static Knowledge unreachableKnowledge(Knowledge k) {
        Knowledge u = k.copy();
        u.reachable = false;
        return u;
    }

    /** Parses {@code body} without emitting, and returns the bits and variables it may write. */
    private BitSet[] collectWrites(Parse body) throws QasmException {
        int start = p;
        Knowledge saved = known;
        BitSet outerBits = writtenBits;
        BitSet outerVars = writtenVars;
        writtenBits = new BitSet();
        writtenVars = new BitSet();
        known = known.copy();
        dry++;
        try {
            body.run();
            return new BitSet[] {writtenBits, writtenVars};
        } finally {
            dry--;
            outerBits.or(writtenBits);
            outerVars.or(writtenVars);
            writtenBits = outerBits;
            writtenVars = outerVars;
            known = saved;
            p = start;
        }
    }

    private void forget(BitSet[] writes) {
        known.bitKnown.andNot(writes[0]);
        writes[1].stream().forEach(known.vars::remove);
    }

    private void jumpTo(Token at, Label label) throws QasmException {
        if (known.reachable && dry == 0) {
            int i = emit(at, new Instruction.Jump(-1));
            if (i >= 0) {
                label.jumps.add(i);
            }
            label.knowledge = Knowledge.merge(label.knowledge, known.copy());
        }
        known.reachable = false;
    }

    private void bind(Label label) {
        for (int i : label.jumps) {
            out.set(i, new Instruction.Jump(out.size()));
        }
        known = Knowledge.merge(known, label.knowledge);
    }

    private void patch(int branch, int target) {
        if (branch >= 0) {
            out.set(branch, new Instruction.Branch(((Instruction.Branch) out.get(branch)).condition(), target));
        }
    }

    // ---- gates ---------------------------------------------------------------------------------

    private void gateDefinition() throws QasmException {
        advance();
        Token name = advance();
        if (name.kind() != Token.Kind.IDENT) {
            throw error(name, "expected a gate name, found " + name.describe());
        }
        if (userGates.containsKey(name.text()) || qregs.containsKey(name.text()) || cregs.containsKey(name.text())
                || RESERVED.contains(name.text())) {
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
        while (!peek().is("{")) {
            if (!qubits.isEmpty()) {
                expect(",");
            }
            Token q = identifier("a qubit name");
            if (qubits.contains(q.text())) {
                throw error(q, "duplicate qubit '" + q.text() + "' in gate definition");
            }
            qubits.add(q.text());
        }
        expect("{");
        gateParamNames = params;
        List<BodyCall> body = new ArrayList<>();
        try {
            while (!peek().is("}")) {
                if (peek().kind() == Token.Kind.EOF) {
                    throw error(peek(), "expected '}'");
                }
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
        if (t.kind() != Token.Kind.IDENT) {
            throw error(t, "expected a gate call in a gate body, found " + t.describe());
        }
        if (Set.of("measure", "reset", "if", "for", "while", "switch", "delay", "box").contains(t.text())
                || cregs.containsKey(t.text()) || vars.containsKey(t.text())) {
            throw unsupported(t, "'" + t.text() + "' inside a gate definition");
        }
        List<Modifier> mods = modifiers();
        Token name = identifier("a gate call");
        List<Expr> args = arguments(userGates.containsKey(name.text()));
        List<Integer> locals = new ArrayList<>();
        while (!peek().is(";")) {
            if (!locals.isEmpty()) {
                expect(",");
            }
            if (peek().is("@")) {
                throw error(peek(), "a gate modifier ('@') must come before the gate name");
            }
            Token q = advance();
            if (q.kind() != Token.Kind.IDENT) {
                throw error(q, "expected a qubit argument, found " + q.describe());
            }
            int idx = qubitNames.indexOf(q.text());
            if (idx < 0) {
                throw error(q, "unknown qubit '" + q.text() + "' in gate body");
            }
            if (locals.contains(idx)) {
                throw error(q, "qubit '" + q.text() + "' used twice in one gate call");
            }
            locals.add(idx);
        }
        expect(";");
        int[] q = locals.stream().mapToInt(Integer::intValue).toArray();
        UserGate user = userGates.get(name.text());
        if (user != null && mods.isEmpty()) {
            checkArity(name, user.numParams(), user.numQubits(), args.size(), q.length);
            body.add(new BodyCall(user, null, args, q));
            return;
        }
        StandardGates.GateDef def = modified(name, mods);
        checkArity(name, def.numParams(), def.numQubits(), args.size(), q.length);
        body.add(new BodyCall(null, def, args, q));
    }

    /** {@code ctrl @}, {@code ctrl(2) @}, {@code negctrl @}, {@code inv @}, {@code pow(k) @}, in written order. */
    private List<Modifier> modifiers() throws QasmException {
        List<Modifier> mods = new ArrayList<>();
        while (MODIFIERS.contains(peek().text()) && peek().kind() == Token.Kind.IDENT) {
            Token m = advance();
            int count = 1;
            double exponent = 1;
            if (peek().is("(")) {
                advance();
                Token at = peek();
                Expr e = param(parseAst(true));
                if (!e.isConstant()) {
                    throw unsupported(at, "'" + m.text() + "' with an argument not known before run time");
                }
                double v = e.eval(new double[0]);
                expect(")");
                if (m.is("inv")) {
                    throw error(at, "'inv' takes no argument");
                }
                if (m.is("pow")) {
                    if (!Double.isFinite(v)) {
                        throw error(at, "pow(" + v + ") @: the exponent must be finite");
                    }
                    exponent = v;
                } else {
                    if (v != Math.rint(v) || v < 1 || v > MAX_MODIFIED_GATE_QUBITS) {
                        throw error(at, "'" + m.text() + "(" + formatNumber(v) + ")' needs a positive integer number of controls");
                    }
                    count = (int) v;
                }
            } else if (m.is("pow")) {
                throw error(peek(), "'pow' needs an exponent, as in pow(2) @");
            }
            expect("@");
            mods.add(new Modifier(m.text(), count, exponent));
        }
        return mods;
    }

    /** The gate {@code name} with {@code mods} applied (innermost, i.e. rightmost, first). */
    private StandardGates.GateDef modified(Token name, List<Modifier> mods) throws QasmException {
        StandardGates.GateDef base;
        UserGate user = userGates.get(name.text());
        if (name.is("gphase")) {
            base = GPHASE;
        } else if (user != null) {
            if (user.numQubits() > MAX_MODIFIED_GATE_QUBITS) {
                throw unsupported(name, "modifiers on gate '" + name.text() + "' of " + user.numQubits()
                        + " qubits (at most " + MAX_MODIFIED_GATE_QUBITS + ")");
            }
            base = new StandardGates.GateDef(user.name(), user.name(), user.numParams(), user.numQubits(),
                    v -> userMatrix(user, v));
        } else {
            base = builtinGate(name);
        }
        if (mods.isEmpty()) {
            return base;
        }
        Function<double[], double[]> f = base.matrix();
        int qubits = base.numQubits();
        StringBuilder label = new StringBuilder(name.text());
        for (int i = mods.size() - 1; i >= 0; i--) {
            Modifier m = mods.get(i);
            Function<double[], double[]> inner = f;
            switch (m.kind()) {
                case "inv":
                    f = v -> Matrices.adjoint(inner.apply(v));
                    label.insert(0, "inv @ ");
                    break;
                case "pow": {
                    double k = m.exponent();
                    // Fractional powers of non-diagonal matrices wider than 2x2 are refused when first built.
                    f = v -> Matrices.power(inner.apply(v), k);
                    label.insert(0, "pow(" + formatNumber(k) + ") @ ");
                    break;
                }
                default: {
                    int n = m.count();
                    boolean neg = m.kind().equals("negctrl");
                    if (qubits + n > MAX_MODIFIED_GATE_QUBITS) {
                        throw unsupported(name, "modified gates on more than " + MAX_MODIFIED_GATE_QUBITS + " qubits");
                    }
                    f = v -> {
                        double[] c = Matrices.controlled(inner.apply(v), n);
                        return neg ? Matrices.flipControls(c, (1 << n) - 1) : c;
                    };
                    qubits += n;
                    label.insert(0, m.kind() + (n > 1 ? "(" + n + ")" : "") + " @ ");
                }
            }
        }
        return new StandardGates.GateDef(label.toString(), label.toString(), base.numParams(), qubits, f);
    }

    /** The unitary of a user gate's body for parameter values {@code values} (global phases included). */
    private static double[] userMatrix(UserGate gate, double[] values) {
        int k = gate.numQubits();
        int d = 1 << k;
        List<Expr> bound = new ArrayList<>();
        for (double v : values) {
            bound.add(Expr.constant(v));
        }
        List<double[]> mats = new ArrayList<>();
        double phaseRe = 1;
        double phaseIm = 0;
        for (BodyCall call : gate.body()) {
            double[] args = new double[call.args().size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = call.args().get(i).substitute(bound).eval(new double[0]);
            }
            double[] m = call.user() != null ? userMatrix(call.user(), args) : call.def().matrix().apply(args);
            if (call.localQubits().length == 0) {
                double r = phaseRe * m[0] - phaseIm * m[1];
                phaseIm = phaseRe * m[1] + phaseIm * m[0];
                phaseRe = r;
            }
            mats.add(m);
        }
        double[] result = new double[2 * d * d];
        for (int col = 0; col < d; col++) {
            StateVector sv = StateVector.basis(k, col);
            for (int i = 0; i < mats.size(); i++) {
                int[] q = gate.body().get(i).localQubits();
                if (q.length > 0) {
                    sv.apply(q, mats.get(i));
                }
            }
            double[] a = sv.amplitudes();
            for (int row = 0; row < d; row++) {
                result[2 * (row * d + col)] = a[2 * row] * phaseRe - a[2 * row + 1] * phaseIm;
                result[2 * (row * d + col) + 1] = a[2 * row] * phaseIm + a[2 * row + 1] * phaseRe;
            }
        }
        return result;
    }

    private void gateCall() throws QasmException {
        List<Modifier> mods = modifiers();
        Token name = advance();
        if (name.kind() != Token.Kind.IDENT) {
            throw error(name, "expected a gate name, found " + name.describe());
        }
        UserGate user = mods.isEmpty() ? userGates.get(name.text()) : null;
        StandardGates.GateDef def = user == null ? modified(name, mods) : null;
        List<Expr> args = arguments(userGates.containsKey(name.text()));
        List<int[]> operands = new ArrayList<>();
        List<Token> operandTokens = new ArrayList<>();
        if (!peek().is(";")) {
            do {
                if (!operands.isEmpty()) {
                    advance();
                }
                operandTokens.add(peek());
                operands.add(qubitOperand());
            } while (peek().is(","));
        }
        expect(";");
        int numParams = user != null ? user.numParams() : def.numParams();
        int numQubits = user != null ? user.numQubits() : def.numQubits();
        checkArity(name, numParams, numQubits, args.size(), operands.size());
        if (emitting()) {
            String written = mods.isEmpty() ? name.text() : def.name();
            gateCalls.putIfAbsent(written, new SourcePosition(name.line(), name.column()));
        }
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
            expand(name, user, def, args, qubits, null);
        }
    }

    private void expand(Token at, UserGate user, StandardGates.GateDef def, List<Expr> args, int[] qubits,
                        String inside) throws QasmException {
        if (++expandedCalls > MAX_INSTRUCTIONS) {
            throw error(at, "circuit too long (more than " + MAX_INSTRUCTIONS + " gate calls after expansion)");
        }
        if (user == null) {
            if (def.numQubits() == 0) {
                return; // a global phase alone is unobservable
            }
            checkArguments(at, def, args, inside);
            if (emitting()) {
                emit(at, new Instruction.Gate(def.canonical(), args, qubits, def.matrix()));
            }
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
            expand(at, call.user(), call.def(), bound, q, inside != null ? inside : user.name());
        }
    }

    /** Unresolved names and non-finite constant angles are refused here, naming the gate. */
    private void checkArguments(Token at, StandardGates.GateDef def, List<Expr> args, String inside)
            throws QasmException {
        String where = "gate '" + def.name() + "'" + (inside != null ? " (inside '" + inside + "')" : "");
        double[] values = new double[args.size()];
        boolean constant = true;
        for (int i = 0; i < args.size(); i++) {
            Expr e = args.get(i);
            Expr.Unresolved u = Expr.unresolved(e);
            if (u != null) {
                throw new QasmException(u.line(), u.column(), "unknown parameter '" + u.name() + "' used by " + where);
            }
            if (e.isConstant()) {
                values[i] = e.eval(new double[0]);
                if (!Double.isFinite(values[i])) {
                    throw error(at, where + " got a non-finite angle (" + values[i] + "); angles must be finite numbers");
                }
            } else {
                constant = false;
            }
        }
        if (constant) {
            try {
                def.matrix().apply(values);
            } catch (IllegalArgumentException e) {
                throw unsupported(at, where + ": " + e.getMessage());
            }
        }
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
        if (t.is("@")) {
            throw error(t, "a gate modifier ('@') must come before the gate name");
        }
        if (t.kind() != Token.Kind.IDENT) {
            throw error(t, "expected a qubit, found " + t.describe());
        }
        int[] reg = qregs.get(t.text());
        if (reg == null) {
            throw error(t, "unknown qubit register '" + t.text() + "'");
        }
        return select(t, reg);
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
        return select(t, bitsOf(reg));
    }

    /** {@code reg}, {@code reg[i]}, {@code reg[-1]}, {@code reg[a:b]}, {@code reg[a:s:b]}, {@code reg[{i, j}]}. */
    private int[] select(Token name, int[] reg) throws QasmException {
        if (!peek().is("[")) {
            return reg;
        }
        advance();
        List<Integer> picked = new ArrayList<>();
        if (peek().is("{")) {
            advance();
            do {
                if (!picked.isEmpty()) {
                    advance();
                }
                picked.add(index(name, reg, peek(), constantInt(peek())));
            } while (peek().is(","));
            expect("}");
        } else {
            Token first = peek();
            long a = constantInt(first);
            if (peek().is(":")) {
                advance();
                long second = constantInt(peek());
                long step = 1;
                long b = second;
                if (peek().is(":")) {
                    advance();
                    step = second;
                    b = constantInt(peek());
                }
                if (step == 0) {
                    throw error(first, "a range with step 0 never ends");
                }
                int from = index(name, reg, first, a);
                int to = index(name, reg, first, b);
                for (long i = from; step > 0 ? i <= to : i >= to; i += step) {
                    picked.add(reg[(int) i]);
                }
                if (picked.isEmpty()) {
                    throw error(first, "empty range of '" + name.text() + "'");
                }
                expect("]");
                return picked.stream().mapToInt(Integer::intValue).toArray();
            }
            picked.add(index(name, reg, first, a));
        }
        expect("]");
        if (peek().is("[")) {
            throw unsupported(peek(), "indexing a register twice");
        }
        // index() returned positions; map them to qubits/bits
        return picked.stream().mapToInt(i -> reg[i]).toArray();
    }

    private int index(Token name, int[] reg, Token at, long i) throws QasmException {
        long j = i < 0 ? reg.length + i : i;
        if (j < 0 || j >= reg.length) {
            throw error(at, "index " + i + " out of range for '" + name.text() + "' of size " + reg.length);
        }
        return (int) j;
    }

    private static int[] bitsOf(ClassicalRegister reg) {
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

    /** Syntax tree of an expression, converted to a gate parameter ({@link Expr}) or a classical value. */
    sealed interface Ast {
        Token at();

        record Num(Token at, double value, boolean integer, String unit) implements Ast {
        }

        record Name(Token at) implements Ast {
        }

        record Index(Token at, Ast index) implements Ast {
        }

        record Un(Token at, String op, Ast a) implements Ast {
        }

        record Bin(Token at, String op, Ast a, Ast b) implements Ast {
        }

        record Call(Token at, List<Ast> args) implements Ast {
        }

        record Cast(Token at, CType type, Ast a) implements Ast {
        }
    }

    private static final List<List<String>> LEVELS = List.of(
            List.of("||"), List.of("&&"), List.of("|"), List.of("^"), List.of("&"), List.of("==", "!="),
            List.of("<", "<=", ">", ">="), List.of("<<", ">>"), List.of("+", "-"), List.of("*", "/", "%"));

    /**
     * @param gateArgument in gate arguments {@code ^} is OpenQASM 2's power (Qiskit's qelib1 exports), elsewhere
     *                     OpenQASM 3's exclusive or
     */
    private Ast parseAst(boolean gateArgument) throws QasmException {
        return level(0, gateArgument);
    }

    private Ast level(int l, boolean gateArgument) throws QasmException {
        if (l == LEVELS.size()) {
            return unary(gateArgument);
        }
        if (gateArgument && LEVELS.get(l).contains("^")) {
            return level(l + 1, true);
        }
        Ast left = level(l + 1, gateArgument);
        while (peek().kind() == Token.Kind.SYMBOL && LEVELS.get(l).contains(peek().text())) {
            Token op = advance();
            left = new Ast.Bin(op, op.text(), left, level(l + 1, gateArgument));
        }
        return left;
    }

    private Ast unary(boolean gateArgument) throws QasmException {
        if (++expressionDepth > MAX_EXPRESSION_DEPTH) {
            throw error(peek(), "expression nested deeper than " + MAX_EXPRESSION_DEPTH + " levels");
        }
        try {
            Token t = peek();
            if (t.is("-") || t.is("!") || t.is("~")) {
                advance();
                return new Ast.Un(t, t.text(), unary(gateArgument));
            }
            if (t.is("+")) {
                advance();
                return unary(gateArgument);
            }
            Ast base = primary(gateArgument);
            if (peek().is("**") || (gateArgument && peek().is("^"))) {
                Token op = advance();
                return new Ast.Bin(op, "**", base, unary(gateArgument));
            }
            return base;
        } finally {
            expressionDepth--;
        }
    }

    private Ast primary(boolean gateArgument) throws QasmException {
        Token t = advance();
        switch (t.kind()) {
            case INT:
            case REAL:
                return new Ast.Num(t, t.number(), t.kind() == Token.Kind.INT, null);
            case DURATION:
                return new Ast.Num(t, t.number(), false, t.text().replaceAll("^[0-9.eE+-]+", ""));
            case SYMBOL:
                if (t.is("(")) {
                    Ast e = level(0, gateArgument);
                    expect(")");
                    return e;
                }
                break;
            case IDENT:
                if (TYPES.contains(t.text()) && (peek().is("(") || peek().is("["))) {
                    p--;
                    CType type = parseType();
                    expect("(");
                    Ast a = level(0, gateArgument);
                    expect(")");
                    return new Ast.Cast(t, type, a);
                }
                if (peek().is("(") && (Functions.isFunction(t.text()))) {
                    advance();
                    List<Ast> args = new ArrayList<>();
                    if (!peek().is(")")) {
                        args.add(level(0, gateArgument));
                        while (peek().is(",")) {
                            advance();
                            args.add(level(0, gateArgument));
                        }
                    }
                    expect(")");
                    return new Ast.Call(t, args);
                }
                if (peek().is("[")) {
                    advance();
                    Ast index = level(0, gateArgument);
                    if (peek().is(":")) {
                        throw unsupported(peek(), "register slices inside expressions");
                    }
                    expect("]");
                    return new Ast.Index(t, index);
                }
                if (MODIFIERS.contains(t.text()) || t.is("measure")) {
                    break;
                }
                return new Ast.Name(t);
            default:
                break;
        }
        throw error(t, "expected an expression, found " + t.describe());
    }

    private List<Expr> arguments(boolean lenientNames) throws QasmException {
        List<Expr> args = new ArrayList<>();
        if (!peek().is("(")) {
            return args;
        }
        advance();
        if (!peek().is(")")) {
            args.add(argument(lenientNames));
            while (peek().is(",")) {
                advance();
                args.add(argument(lenientNames));
            }
        }
        expect(")");
        return args;
    }

    private Expr argument(boolean lenientNames) throws QasmException {
        Ast a = parseAst(true);
        if (lenientNames && a instanceof Ast.Name n && resolvesNowhere(n.at().text())) {
            return new Expr.Unresolved(n.at().text(), n.at().line(), n.at().column());
        }
        return param(a);
    }

    private boolean resolvesNowhere(String name) {
        return !(gateParamNames != null && gateParamNames.contains(name)) && !CONSTANTS.containsKey(name)
                && !inputs.contains(name) && !constants.containsKey(name) && !vars.containsKey(name)
                && !cregs.containsKey(name);
    }

    /** A gate parameter: constants, circuit inputs, gate parameters, values known before run time. */
    private Expr param(Ast a) throws QasmException {
        if (a instanceof Ast.Num n) {
            if (n.unit() != null) {
                throw error(n.at(), "a duration (" + n.at().text() + ") is no gate parameter");
            }
            return Expr.constant(n.value());
        }
        if (a instanceof Ast.Un u) {
            Expr x = param(u.a());
            if (!u.op().equals("-")) {
                return constantParam(a);
            }
            return Expr.fold(new Expr.Unary("-", v -> -v, x));
        }
        if (a instanceof Ast.Bin b) {
            char op = switch (b.op()) {
                case "+" -> '+';
                case "-" -> '-';
                case "*" -> '*';
                case "/" -> '/';
                case "**" -> '^';
                case "%" -> '%';
                default -> 0;
            };
            if (op == 0) {
                return constantParam(a);
            }
            return Expr.fold(new Expr.Binary(op, param(b.a()), param(b.b())));
        }
        if (a instanceof Ast.Call c) {
            String fn = c.at().text();
            java.util.function.DoubleUnaryOperator f = Functions.unary(fn);
            if (f != null && c.args().size() == 1) {
                return Expr.fold(new Expr.Unary(fn, f, param(c.args().get(0))));
            }
            if (fn.equals("mod") && c.args().size() == 2) {
                return Expr.fold(new Expr.Binary('%', param(c.args().get(0)), param(c.args().get(1))));
            }
            return constantParam(a);
        }
        if (a instanceof Ast.Cast c && c.type().isFloat()) {
            return param(c.a());
        }
        if (a instanceof Ast.Name n) {
            String name = n.at().text();
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
            if (!constants.containsKey(name) && !vars.containsKey(name) && !cregs.containsKey(name)) {
                throw error(n.at(), "unknown parameter '" + name + "'");
            }
        }
        return constantParam(a);
    }

    /** Classical sub-expressions in a gate parameter must be known before run time. */
    private Expr constantParam(Ast a) throws QasmException {
        CExpr c = classical(a);
        if (!c.isConstant()) {
            throw unsupported(a.at(), "a gate parameter that depends on a value known only at run time ('"
                    + a.at().text() + "')");
        }
        return Expr.constant(c.asDouble(null));
    }

    private long constantInt(Token at) throws QasmException {
        CExpr c = classical(parseAst(false));
        if (!c.isConstant()) {
            throw error(at, "expected an integer known before run time, found " + at.describe());
        }
        if (c.type().isFloat()) {
            double v = c.asDouble(null);
            if (v != Math.rint(v)) {
                throw error(at, "expected an integer, found " + formatNumber(v));
            }
            return (long) v;
        }
        return c.asLong(null);
    }

    /** A classical value; references to values known on every path here are folded to constants. */
    private CExpr classical(Ast a) throws QasmException {
        if (a instanceof Ast.Num n) {
            if (n.unit() != null) {
                throw unsupported(n.at(), "durations in classical expressions");
            }
            if (n.integer()) {
                return CExpr.intConst((long) n.value(), new CType(CType.Kind.INT, 64));
            }
            return CExpr.floatConst(n.value());
        }
        if (a instanceof Ast.Name n) {
            String name = n.at().text();
            if (name.equals("true") || name.equals("false")) {
                return CExpr.boolConst(name.equals("true"));
            }
            Double c = CONSTANTS.get(name);
            if (c != null) {
                return CExpr.floatConst(c);
            }
            CExpr k = constants.get(name);
            if (k != null) {
                return k;
            }
            ClassicalRegister reg = cregs.get(name);
            if (reg != null) {
                return registerValue(bitsOf(reg));
            }
            Var v = vars.get(name);
            if (v != null) {
                return variableValue(v);
            }
            if (inputs.contains(name)) {
                throw unsupported(n.at(), "circuit input '" + name + "' in a classical expression");
            }
            if (stretches.contains(name)) {
                throw unsupported(n.at(), "durations in classical expressions");
            }
            throw error(n.at(), "unknown name '" + name + "'");
        }
        if (a instanceof Ast.Index ix) {
            String name = ix.at().text();
            ClassicalRegister reg = cregs.get(name);
            if (reg == null) {
                if (vars.containsKey(name)) {
                    throw unsupported(ix.at(), "indexing bits of variable '" + name + "'");
                }
                throw error(ix.at(), "unknown classical register '" + name + "'");
            }
            CExpr i = classical(ix.index());
            if (!i.isConstant()) {
                throw unsupported(ix.index().at(), "a bit index known only at run time");
            }
            int j = index(ix.at(), bitsOf(reg), ix.index().at(), i.asLong(null));
            return registerValue(new int[] {reg.offset() + j});
        }
        if (a instanceof Ast.Un u) {
            CExpr x = classical(u.a());
            return wrapErrors(u.at(), () -> CExpr.unary(u.op(), x));
        }
        if (a instanceof Ast.Bin b) {
            CExpr l = classical(b.a());
            CExpr r = classical(b.b());
            return wrapErrors(b.at(), () -> CExpr.binary(b.op(), l, r));
        }
        if (a instanceof Ast.Call c) {
            List<CExpr> args = new ArrayList<>();
            for (Ast x : c.args()) {
                args.add(classical(x));
            }
            return wrapErrors(c.at(), () -> CExpr.call(c.at().text(), args));
        }
        Ast.Cast c = (Ast.Cast) a;
        CExpr x = classical(c.a());
        return wrapErrors(c.at(), () -> CExpr.cast(c.type(), x));
    }

    private interface Build {
        CExpr get();
    }

    private CExpr wrapErrors(Token at, Build b) throws QasmException {
        try {
            return b.get();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw error(at, e.getMessage());
        }
    }

    private CExpr registerValue(int[] bits) throws QasmException {
        boolean allKnown = true;
        long v = 0;
        for (int i = 0; i < bits.length; i++) {
            if (!known.bitKnown.get(bits[i])) {
                allKnown = false;
                break;
            }
            if (known.bitValue.get(bits[i]) && i < 64) {
                v |= 1L << i;
            }
        }
        if (allKnown && bits.length <= 64) {
            return CExpr.intConst(v, new CType(CType.Kind.BIT, bits.length));
        }
        if (bits.length == 1) {
            return CExpr.bit(bits[0]);
        }
        if (bits.length > 64) {
            throw error(peek(), "registers wider than 64 bits cannot be used as values");
        }
        return CExpr.register(bits);
    }

    private CExpr variableValue(Var v) {
        Long k = known.vars.get(v.slot());
        if (k != null) {
            return v.type().isFloat() ? CExpr.floatConst(Double.longBitsToDouble(k)) : CExpr.intConst(k, v.type());
        }
        return CExpr.variable(v.slot(), v.type());
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private StandardGates.GateDef builtinGate(Token name) throws QasmException {
        if (name.kind() != Token.Kind.IDENT) {
            throw error(name, "expected a statement, found " + name.describe());
        }
        StandardGates.GateDef def = StandardGates.lookup(name.text());
        if (def == null) {
            if (UNSUPPORTED.containsKey(name.text())) {
                throw unsupported(name, UNSUPPORTED.get(name.text()));
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
        Token n = peek();
        long size = constantInt(n);
        if (size < 1 || size > Integer.MAX_VALUE) {
            throw error(n, "expected a positive size, found " + n.describe());
        }
        expect("]");
        return (int) size;
    }

    private Token newName() throws QasmException {
        Token name = identifier("a name");
        String s = name.text();
        if (qregs.containsKey(s) || cregs.containsKey(s) || inputs.contains(s) || userGates.containsKey(s)
                || vars.containsKey(s) || constants.containsKey(s) || stretches.contains(s)
                || CONSTANTS.containsKey(s) || Functions.isFunction(s) || UNSUPPORTED.containsKey(s)
                || RESERVED.contains(s)) {
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

    private boolean emitting() {
        return dry == 0 && known.reachable;
    }

    /** Appends when some path reaches this point; returns the index, or -1. */
    private int emit(Token at, Instruction instruction) throws QasmException {
        if (!emitting()) {
            return -1;
        }
        if (out.size() >= MAX_INSTRUCTIONS) {
            throw error(at, "circuit too long (more than " + MAX_INSTRUCTIONS + " operations after expansion)");
        }
        out.add(instruction);
        return out.size() - 1;
    }

    private static String formatNumber(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static QasmException error(Token at, String problem) {
        return new QasmException(at.line(), at.column(), problem);
    }

    private static QasmException unsupported(Token at, String feature) {
        return new QasmException(at.line(), at.column(), "unsupported OpenQASM feature: " + feature);
    }

    int version() {
        return version;
    }
}
